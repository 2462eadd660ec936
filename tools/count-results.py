#!/usr/bin/env python3
"""Sums the counters of every TRX file in a folder and prints 'N passed, N failed[, N skipped]'.

A stage that failed without producing results (a build error, a crashed test host) counts as one failure, so a
broken run can never print zero failures.
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"


def main() -> int:
    folder = sys.argv[1]
    failed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    passed = skipped = 0
    for path in sorted(glob.glob(os.path.join(folder, "**", "*.trx"), recursive=True)):
        counters = ET.parse(path).getroot().find(f"{NS}ResultSummary/{NS}Counters")
        if counters is None:
            failed += 1
            continue
        passed += int(counters.get("passed", 0))
        failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0))
        skipped += int(counters.get("notExecuted", 0))
    if passed == 0 and failed == 0:
        failed = 1  # no results at all is a failure, not a pass
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
