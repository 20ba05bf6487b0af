/// Leaked credential checks (`/radar/leaked_credential_checks/timeseries_groups/{dimension}`):
/// login attempts checked against known leaks. Keys follow the older fixed-path endpoints'
/// response schema (`CLEAN`/`COMPROMISED`, `bot`/`human`); the filters map onto them
/// (`botClass=LIKELY_HUMAN` keeps `human`, `checkResult=PASSWORD_LEAKED` keeps `COMPROMISED`).
extension DemoCatalog {
  static let leakedCredentialChecks = DemoEndpointProfile(
    units: "requests", volumePerDay: 6.0e7, peakHour: 14, diurnalAmplitude: 0.25,
    weekly: [1.04, 1.05, 1.05, 1.03, 0.98, 0.92, 0.93],
    dimensions: ["COMPROMISED": leakedCompromised, "BOT_CLASS": leakedBotClass],
    knowsCardinality: true)

  static let leakedCompromised = DemoDimension(
    [
      DemoGroup("CLEAN", 0.59, amplitude: 1.4, tags: ["checkResult": ["CLEAN"]]),
      DemoGroup(
        "COMPROMISED", 0.41, utcOffset: 5, amplitude: 0.5,
        tags: [
          "checkResult": [
            "USERNAME_LEAKED", "USERNAME_PASSWORD_SIMILAR", "USERNAME_AND_PASSWORD_LEAKED", "PASSWORD_LEAKED",
          ]
        ]),
    ], own: "compromised")

  static let leakedBotClass = DemoDimension(
    [
      DemoGroup("bot", 0.65, utcOffset: 3, amplitude: 0.3, tags: ["botClass": ["LIKELY_AUTOMATED"]]),
      DemoGroup("human", 0.35, amplitude: 1.8, tags: ["botClass": ["LIKELY_HUMAN"]]),
    ], own: "botClass")
}
