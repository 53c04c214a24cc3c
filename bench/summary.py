"""The table `./dev bench` ends with: every goal a benchmark measured, its figure, met or not.

Each benchmark writes bench/results/<name>.json with a `goals` list of
{"goal", "target", "figure", "met"}; this prints them all (and a Markdown copy for the README
with --markdown).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def rows() -> list[tuple[str, dict]]:
    found: list[tuple[str, dict]] = []
    for path in sorted(RESULTS.glob("*.json")):
        try:
            data = json.loads(path.read_text())
        except ValueError:
            continue
        for goal in data.get("goals", []) if isinstance(data, dict) else []:
            figure = goal.get("figure", goal.get("value"))
            found.append(
                (path.stem, {**goal, "figure": str(figure), "target": str(goal["target"])})
            )
    return found


def main() -> int:
    table = rows()
    if "--markdown" in sys.argv:
        print("| bench | goal | target | measured | met |")
        print("| --- | --- | --- | --- | --- |")
        for bench, g in table:
            met = "yes" if g.get("met") else "**no**"
            print(f"| {bench} | {g['goal']} | {g['target']} | {g['figure']} | {met} |")
        return 0
    width = max((len(g["goal"]) for _, g in table), default=10)
    print(f"\n{'goal':<{width}}  {'target':<14} {'measured':<28} met")
    for _, g in table:
        print(
            f"{g['goal']:<{width}}  {g['target']:<14} {g['figure']:<28} {'yes' if g.get('met') else 'NO'}"
        )
    met = sum(1 for _, g in table if g.get("met"))
    print(f"\n{met} of {len(table)} goals met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
