import Testing

/// The reliability suites (mutation fuzzer, fault injection, soak) run one after another: each drives
/// a debug build of the real binary hard, and together, beside the rest of the suite on 2 cores, they
/// would starve the timing-sensitive tests of other targets.
@Suite("Reliability", .serialized)
enum ReliabilityTests {}
