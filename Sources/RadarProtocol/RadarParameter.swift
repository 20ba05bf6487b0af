/// One parameter of a Radar method, as the document's content descriptor and its `x-radar-…`
/// extensions describe it. This is what makes an endpoint data: the canonicalizer reads only
/// these fields, never a parameter's name. (A class: read on every request, never copied.)
final class RadarParameter: Sendable {
  /// `x-radar-in`: where the value goes.
  enum Placement: String, Sendable {
    /// Fills `{name}` in the method's `x-radar-path`.
    case path
    /// A query parameter (the default).
    case query
    /// radar-rpc's `series` form: an array of per-series objects.
    case series
    /// Used by radar-rpc itself (progress tokens); never sent upstream, not part of the key.
    case local
  }

  /// `x-radar-date`: the parameter's part in a series' time window, for the date checks.
  enum DateRole: String, Sendable {
    case start, end, range
  }

  let name: String
  let placement: Placement
  let required: Bool
  /// `x-radar-series`: one value per series (repeated query key), a scalar meaning one series.
  let perSeries: Bool
  /// `x-radar-list`: a series' element may be an array of strings, sent joined with commas.
  let isList: Bool
  let dateRole: DateRole?
  /// The schema of the top-level value.
  let schema: SchemaID
  /// For per-series parameters: the schema of one series' value (the `items` of the array branch).
  let element: SchemaID?
  /// The (element) schema has `format: date-time`: values are sent normalized to UTC.
  let isDateTime: Bool
  /// The (element) schema's enum, when it has one (a path parameter's choices).
  let choices: [String]

  init(
    name: String, placement: Placement, required: Bool, perSeries: Bool, isList: Bool, dateRole: DateRole?,
    schema: SchemaID, element: SchemaID?, isDateTime: Bool, choices: [String]
  ) {
    self.name = name
    self.placement = placement
    self.required = required
    self.perSeries = perSeries
    self.isList = isList
    self.dateRole = dateRole
    self.schema = schema
    self.element = element
    self.isDateTime = isDateTime
    self.choices = choices
  }
}
