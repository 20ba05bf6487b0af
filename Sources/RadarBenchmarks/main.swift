// In-process micro-benchmarks: `swift run -c release radar-benchmarks [name...]`.
//
// `radar-benchmarks writer-icount demo|tree K` is the writers' body for callgrind (see WriterBenchmark.swift).
//
// Each layer contributes its measurements in its own file; this file only dispatches.
// Process-level benchmarks (throughput, latency, RSS over pipes) live in bench/.
let all: [(name: String, run: () async -> Void)] = [
  ("validation", validationBenchmark),
  ("demo", demoBenchmark),
  ("client", clientBenchmark),
  ("writer", writerBenchmark),
]
let selected = CommandLine.arguments.dropFirst()
if selected.first == "writer-icount" {
  writerInstructionCount(Array(selected.dropFirst()))
} else {
  for benchmark in all where selected.isEmpty || selected.contains(benchmark.name) {
    await benchmark.run()
  }
}
