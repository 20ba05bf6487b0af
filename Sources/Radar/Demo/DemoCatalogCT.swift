/// Certificate Transparency (`/radar/ct/timeseries_groups/{dimension}`): what CT logs record.
///
/// Keys follow Cloudflare's response schema where its SDKs declare one (`rfc6962`, `lte_3d`,
/// `domain`, `CERTIFICATE`, `NEGATIVE` …) and the filter enums elsewhere, so a key can be fed back
/// as a filter. CA and log names are real ones, with made-up but plausible shares.
extension DemoCatalog {
  static let ct = DemoEndpointProfile(
    units: "certificates", volumePerDay: 2.4e7, peakHour: 15, diurnalAmplitude: 0.12,
    weekly: [1.03, 1.05, 1.05, 1.04, 1.0, 0.92, 0.91],
    dimensions: [
      "CA": ctCA, "CA_OWNER": ctCAOwner, "DURATION": ctDuration, "ENTRY_TYPE": ctEntryType,
      "EXPIRATION_STATUS": ctExpirationStatus, "HAS_IPS": ctHasIPs, "HAS_WILDCARDS": ctHasWildcards,
      "LOG": ctLog, "LOG_API": ctLogAPI, "LOG_OPERATOR": ctLogOperator,
      "PUBLIC_KEY_ALGORITHM": ctPublicKeyAlgorithm, "SIGNATURE_ALGORITHM": ctSignatureAlgorithm,
      "TLD": ctTLD, "VALIDATION_LEVEL": ctValidationLevel,
    ],
    knowsCardinality: true)

  private static let isrg = "Internet Security Research Group"
  private static let gts = "Google Trust Services LLC"

  private static func ca(_ name: String, _ owner: String, _ weight: Double, _ offset: Double = 0) -> DemoGroup {
    DemoGroup(name, weight, utcOffset: offset, tags: ["caOwner": [owner.uppercased()]])
  }

  static let ctCA = DemoDimension(
    [
      ca("R10", isrg, 0.16), ca("R11", isrg, 0.16), ca("E5", isrg, 0.085, 1), ca("E6", isrg, 0.085, 1),
      ca("R12", isrg, 0.05), ca("E7", isrg, 0.03, 1),
      ca("WR1", gts, 0.075, -2), ca("WE1", gts, 0.06, -2), ca("WR2", gts, 0.012, -2),
      ca("Sectigo RSA Domain Validation Secure Server CA", "Sectigo", 0.04, 2),
      ca("Sectigo Public Server Authentication CA DV R36", "Sectigo", 0.03, 2),
      ca("ZeroSSL RSA Domain Secure Site CA", "Sectigo", 0.02, 3),
      ca("Amazon RSA 2048 M02", "Amazon Trust Services", 0.022, -5),
      ca("Amazon RSA 2048 M03", "Amazon Trust Services", 0.02, -5),
      ca("DigiCert Global G2 TLS RSA SHA256 2020 CA1", "DigiCert", 0.016, -4),
      ca("Encryption Everywhere DV TLS CA - G2", "DigiCert", 0.01, -4),
      ca("GeoTrust Global TLS RSA4096 SHA256 2022 CA1", "DigiCert", 0.007, -4),
      ca("GlobalSign GCC R6 AlphaSSL CA 2023", "GlobalSign nv-sa", 0.008, 1),
      ca("Microsoft Azure RSA TLS Issuing CA 03", "Microsoft Corporation", 0.008, -7),
      ca("SSL.com TLS Transit ECC CA R2", "SSL.com", 0.01, -5),
      ca("Certainly Intermediate R1", "Certainly", 0.005, -7),
    ], own: "ca", tail: 0.03, highCardinality: true)

  static let ctCAOwner = DemoDimension(
    [
      DemoGroup(isrg, 0.6), DemoGroup(gts, 0.14, utcOffset: -2), DemoGroup("Sectigo", 0.09, utcOffset: 2),
      DemoGroup("Amazon Trust Services", 0.042, utcOffset: -5), DemoGroup("DigiCert", 0.035, utcOffset: -4),
      DemoGroup("SSL.com", 0.012, utcOffset: -5), DemoGroup("GlobalSign nv-sa", 0.01, utcOffset: 1),
      DemoGroup("Microsoft Corporation", 0.009, utcOffset: -7), DemoGroup("Certainly", 0.005, utcOffset: -7),
      DemoGroup("Entrust", 0.003, utcOffset: -5), DemoGroup("HARICA", 0.003, utcOffset: 2),
      DemoGroup("Buypass", 0.002, utcOffset: 1), DemoGroup("Actalis", 0.002, utcOffset: 1),
    ], own: "caOwner", tail: 0.02, highCardinality: true)

  private static func log(_ name: String, _ operatorName: String, _ weight: Double, api: String = "RFC6962")
    -> DemoGroup
  {
    DemoGroup(name, weight, tags: ["logOperator": [operatorName.uppercased()], "logApi": [api]])
  }

  static let ctLog = DemoDimension(
    [
      log("Google 'Argon2026h1'", "Google", 0.035), log("Google 'Argon2026h2'", "Google", 0.09),
      log("Google 'Argon2027h1'", "Google", 0.06), log("Google 'Xenon2026h2'", "Google", 0.09),
      log("Google 'Xenon2027h1'", "Google", 0.055),
      log("Cloudflare 'Nimbus2026'", "Cloudflare", 0.11), log("Cloudflare 'Nimbus2027'", "Cloudflare", 0.05),
      log("Let's Encrypt 'Oak2026h1'", "Let's Encrypt", 0.03), log("Let's Encrypt 'Oak2026h2'", "Let's Encrypt", 0.1),
      log("Let's Encrypt 'Sycamore2027h1'", "Let's Encrypt", 0.04, api: "STATIC"),
      log("DigiCert 'Wyvern2026h2'", "DigiCert", 0.045), log("DigiCert 'Sphinx2026h2'", "DigiCert", 0.04),
      log("Sectigo 'Mammoth2026h2'", "Sectigo", 0.05), log("Sectigo 'Sabre2026h2'", "Sectigo", 0.045),
      log("Sectigo 'Elephant2027h1'", "Sectigo", 0.03, api: "STATIC"),
      log("Sectigo 'Tiger2027h1'", "Sectigo", 0.025, api: "STATIC"),
      log("TrustAsia Log2026b", "TrustAsia", 0.03),
      log("Geomys 'Tuscolo2026h2'", "Geomys", 0.04, api: "STATIC"),
      log("IPng Networks 'Halloumi2026h2'", "IPng Networks", 0.03, api: "STATIC"),
    ], own: "log", tail: 0.01, highCardinality: true)

  static let ctLogOperator = DemoDimension(
    [
      DemoGroup("Google", 0.33), DemoGroup("Cloudflare", 0.16), DemoGroup("Let's Encrypt", 0.17),
      DemoGroup("Sectigo", 0.15, utcOffset: 1), DemoGroup("DigiCert", 0.085, utcOffset: -2),
      DemoGroup("Geomys", 0.04, utcOffset: 1), DemoGroup("TrustAsia", 0.03, utcOffset: 8),
      DemoGroup("IPng Networks", 0.03, utcOffset: 1),
    ], own: "logOperator", tail: 0.005, highCardinality: true)

  static let ctLogAPI = DemoDimension(
    [
      DemoGroup("rfc6962", 0.82, tags: ["logApi": ["RFC6962"]]),
      DemoGroup("static", 0.18, utcOffset: 2, tags: ["logApi": ["STATIC"]]),
    ], own: "logApi")

  /// The response schema's buckets; `duration` filter buckets map onto the buckets they overlap.
  static let ctDuration = DemoDimension(
    [
      DemoGroup("lte_3d", 0.002, utcOffset: 3, tags: ["duration": ["LTE_3D"]]),
      DemoGroup(
        "gt_3d_lte_16d", 0.03, utcOffset: 2, tags: ["duration": ["GT_3D_LTE_7D", "GT_7D_LTE_10D", "GT_10D_LTE_47D"]]),
      DemoGroup("gt_16d_lte_31d", 0.01, utcOffset: 1, tags: ["duration": ["GT_10D_LTE_47D"]]),
      DemoGroup("gt_31d_lte_91d", 0.7, tags: ["duration": ["GT_10D_LTE_47D", "GT_47D_LTE_100D"]]),
      DemoGroup("gt_91d_lte_121d", 0.02, utcOffset: -2, tags: ["duration": ["GT_47D_LTE_100D", "GT_100D_LTE_200D"]]),
      DemoGroup("gt_121d", 0.24, utcOffset: -4, tags: ["duration": ["GT_100D_LTE_200D", "GT_200D"]]),
    ], own: "duration")

  static let ctEntryType = DemoDimension(
    [DemoGroup("CERTIFICATE", 0.48, utcOffset: 1), DemoGroup("PRECERTIFICATE", 0.52)], own: "entryType")

  static let ctExpirationStatus = DemoDimension(
    [DemoGroup("EXPIRED", 0.07, utcOffset: -6), DemoGroup("VALID", 0.93)], own: "expirationStatus")

  static let ctHasIPs = DemoDimension(
    [
      DemoGroup("NEGATIVE", 0.995, tags: ["hasIps": ["FALSE"]]),
      DemoGroup("POSITIVE", 0.005, utcOffset: -5, tags: ["hasIps": ["TRUE"]]),
    ], own: "hasIps")

  static let ctHasWildcards = DemoDimension(
    [
      DemoGroup("NEGATIVE", 0.82, tags: ["hasWildcards": ["FALSE"]]),
      DemoGroup("POSITIVE", 0.18, utcOffset: -3, tags: ["hasWildcards": ["TRUE"]]),
    ], own: "hasWildcards")

  static let ctPublicKeyAlgorithm = DemoDimension(
    [DemoGroup("DSA", 0.0001, utcOffset: 5), DemoGroup("ECDSA", 0.55, utcOffset: 1), DemoGroup("RSA", 0.45)],
    own: "publicKeyAlgorithm")

  private static func signature(_ name: String, _ weight: Double, _ offset: Double = 0) -> DemoGroup {
    let key = name.hasPrefix("ECDSA") ? "ECDSA" : name.hasPrefix("DSA") ? "DSA" : "RSA"
    return DemoGroup(name, weight, utcOffset: offset, tags: ["publicKeyAlgorithm": [key]])
  }

  static let ctSignatureAlgorithm = DemoDimension(
    [
      signature("RSA_SHA_256", 0.62), signature("ECDSA_SHA_384", 0.3, 1), signature("ECDSA_SHA_256", 0.05, -2),
      signature("RSA_SHA_384", 0.02, -4), signature("RSA_SHA_512", 0.005, 2), signature("PSS_SHA_256", 0.001, 3),
      signature("ECDSA_SHA_512", 0.0005, -1), signature("RSA_SHA_1", 0.0002, 6),
    ], own: "signatureAlgorithm", highCardinality: true)

  static let ctTLD = DemoDimension(
    [
      ("com", 0.42, -5.0), ("net", 0.035, -3), ("org", 0.03, -3), ("de", 0.035, 1), ("uk", 0.02, 0), ("ru", 0.02, 3),
      ("br", 0.025, -3), ("io", 0.015, -2), ("dev", 0.012, -4), ("app", 0.012, -4), ("jp", 0.012, 9),
      ("fr", 0.012, 1), ("nl", 0.01, 1), ("au", 0.01, 10), ("in", 0.01, 5.5), ("co", 0.01, -5), ("xyz", 0.012, 8),
      ("top", 0.01, 8), ("it", 0.01, 1), ("pl", 0.009, 1), ("info", 0.008, -3), ("online", 0.008, 2),
      ("shop", 0.008, 0), ("ca", 0.008, -5), ("es", 0.007, 1), ("us", 0.007, -6), ("eu", 0.006, 1),
      ("cloud", 0.006, 1), ("me", 0.006, 1), ("site", 0.007, 3),
    ].map { DemoGroup($0.0, $0.1, utcOffset: $0.2) }, own: "tld", tail: 0.15, highCardinality: true)

  static let ctValidationLevel = DemoDimension(
    [
      DemoGroup("domain", 0.965), DemoGroup("extended", 0.004, utcOffset: -4),
      DemoGroup("organization", 0.025, utcOffset: -3), DemoGroup("unknown", 0.006, utcOffset: 4),
    ], own: "validationLevel")
}
