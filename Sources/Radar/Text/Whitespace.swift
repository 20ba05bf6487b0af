extension StringProtocol {
  /// The text without leading and trailing spaces, tabs, carriage returns and line feeds (the
  /// ASCII whitespace that surrounds values in headers, URLs and filter lists; not Unicode's
  /// wider set, which a header or a URL never carries).
  var trimmingWhitespace: SubSequence {
    let isWhitespace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
    guard let first = firstIndex(where: { !isWhitespace($0) }), let last = lastIndex(where: { !isWhitespace($0) })
    else { return self[endIndex...] }
    return self[first...last]
  }
}
