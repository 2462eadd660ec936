"""Summarises a speedscope profile of the suite: of the samples under a Kernel.Analyzers frame, the share spent in each
call our innermost frame made (or in that frame itself), then the share under each frame from our outermost one down."""
import collections
import json
import sys

OURS = "Kernel.Analyzers!"
# The converter ends each stack with one of these, for managed or native code running in the frame above it.
PSEUDO_FRAMES = {"CPU_TIME": "[running in the frame itself]", "UNMANAGED_CODE_TIME": "[native code]"}
SECONDS_PER_UNIT = {"seconds": 1.0, "milliseconds": 1e-3, "microseconds": 1e-6, "nanoseconds": 1e-9}


def stacks(profile):
    """(stack, weight) pairs of an evented profile: the open frames between two events, for the time between them."""
    stack, last = [], None
    for event in profile["events"]:
        if last is not None and stack:
            yield list(stack), event["at"] - last
        last = event["at"]
        if event["type"] == "O":
            stack.append(event["frame"])
        else:
            stack.pop()


def main(path, top=30):
    data = json.load(open(path))
    names = [frame["name"] for frame in data["shared"]["frames"]]
    callee, inclusive, ours = collections.Counter(), collections.Counter(), 0.0
    for profile in data["profiles"]:
        scale = SECONDS_PER_UNIT[profile["unit"]]
        for stack, weight in stacks(profile):
            frames = [names[i] for i in stack]
            mine = [i for i, name in enumerate(frames) if name.startswith(OURS)]
            if not mine:
                continue
            seconds = weight * scale
            ours += seconds
            innermost = mine[-1]
            below = frames[innermost + 1] if innermost + 1 < len(frames) else "CPU_TIME"
            callee[PSEUDO_FRAMES.get(below, below)] += seconds
            for name in set(frames[mine[0]:]) - PSEUDO_FRAMES.keys():
                inclusive[name] += seconds
    if not ours:
        sys.exit("no samples under a Kernel.Analyzers frame: did the benchmark run?")
    print(f"samples under the suite's frames: {ours:.2f} s of thread time")
    for title, counter in (("calls made from our innermost frame", callee), ("inclusive, from our outermost frame", inclusive)):
        print(f"\n{title}:")
        for name, weight in counter.most_common(top):
            print(f"{100 * weight / ours:6.1f} %  {name.split('(')[0]}")


if __name__ == "__main__":
    main(sys.argv[1])
