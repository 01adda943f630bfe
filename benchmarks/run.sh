#!/usr/bin/env bash
# Builds the JMH benchmarks and runs them all in one go (about 20 minutes on 2 cores), writing the scores and the
# target ratios to benchmarks/RESULTS.md. Not part of ./mvnw verify or CI: timing goals live here, not in tests.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl smarthost-benchmarks -am package -DskipTests
java -cp smarthost-benchmarks/target/benchmarks.jar dev.smarthost.benchmarks.RunAll benchmarks/RESULTS.md
