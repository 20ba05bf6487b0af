func validationBenchmark() async { print("validation: not yet written") }
