// In-process micro-benchmarks: `swift run -c release radar-benchmarks [name...]`.
//
// Each layer contributes its measurements in its own file; this file only dispatches.
// Process-level benchmarks (throughput, latency, RSS over pipes) live in bench/.
let all: [(name: String, run: () async -> Void)] = [
  ("validation", validationBenchmark),
  ("demo", demoBenchmark),
  ("client", clientBenchmark),
]
let selected = CommandLine.arguments.dropFirst()
for benchmark in all where selected.isEmpty || selected.contains(benchmark.name) {
  await benchmark.run()
}
