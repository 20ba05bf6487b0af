func demoBenchmark() async { print("demo: not yet written") }
