"""Do the words say what happens? The motion engine on synthetic sequences whose activity is known.

The synthetic source's activities (`bedlam_tools.sources.synthetic.activities`) are animated as 30 fps sequences
(`animation.animate`: jittered keys, random amplitude, speed, phase, asymmetry, arm gestures, idle wobble, head
look, slow heading wobble, half of them mirrored), posed by the Anny skeleton with their heading kept (no
translation: the source has none, so the body's height is read from the pelvis above the lowest joint). "turn" is
made here: the standing activity with its heading swept by 60-180 degrees, left or right, over 1-2.5 s.

EXPECTED is the one table of what each activity must show (each item: a body part, either side, and a motion) and
what would contradict it (a motion that must not be said, or two that must not be said in the same moment). An
expected motion is found when one of the codes the first caption's sentences came from has that part and motion.

    python benchmarks/motion_study.py [--per-activity 20] [--seconds 6] [--fps 30] [--seed 0]
"""
import argparse
from dataclasses import dataclass

import numpy as np

from bedlam_tools.sources.synthetic.animation import animate
from bedlam_tools.sources.synthetic.joint_angles import to_rotvecs
from posescript_pipeline.body import create
from posescript_pipeline.motion import describe_motion

ANY_TURN = (("body", "turn left"), ("body", "turn right"))
TRAVEL = tuple(("body", f"body {d}") for d in ("forward", "backward", "left", "right"))


@dataclass(frozen=True)
class Expect:
    activity: str                  # the activity table row it animates
    found: tuple                   # (part, motion or motions) to be among the said codes; the part on either side
    never: tuple = ANY_TURN        # (part, motion) that must not be said
    not_together: tuple = ()       # ((part, motion), (part, motion)) that must not be said in one moment
    turn: bool = False             # sweep the heading (the study's own "turn")


_KNEES_AGAINST_BODY = ((("knee", "bend"), ("body", "body up")), (("knee", "extend"), ("body", "body down")))
_LEGS = (("knee", "bend"), ("knee", "extend"), ("body", "body down"), ("body", "body up"))
EXPECTED = {
    "squat": Expect("squat", _LEGS, never=ANY_TURN + TRAVEL, not_together=_KNEES_AGAINST_BODY),
    "lunge": Expect("lunge", _LEGS, never=ANY_TURN + TRAVEL, not_together=_KNEES_AGAINST_BODY),
    "sit_down_up": Expect("sit_down_up", _LEGS, never=ANY_TURN + TRAVEL, not_together=_KNEES_AGAINST_BODY),
    "reach_up": Expect("reach_up", (("hand", "up"), ("hand", "down")), never=ANY_TURN + (("knee", "bend"),)),
    "reach_forward": Expect("reach_forward", (("hand", "forward"), ("hand", "backward")), never=ANY_TURN),
    "jumping_jacks": Expect("jumping_jacks", (("hand", "up"), ("hand", "down"), ("foot", "apart")),
                            never=ANY_TURN + (("knee", "bend"),)),
    "pick_up": Expect("pick_up", (("body", "lean forward"), ("body", "upright")), never=ANY_TURN),
    "look_around": Expect("look_around", (("head", ("head turn left", "head turn right", "head forward")),
                                          ("head", ("head down", "head up", "head level"))),
                          never=ANY_TURN + (("knee", "bend"),)),
    "twist": Expect("twist", (("body", ("twist left", "twist right", "untwist")),), never=ANY_TURN + (("knee", "bend"),)),
    "turn": Expect("stand_arms_down", (("body", "turn"),), never=(("knee", "bend"),), turn=True),
}
"""Study row -> what it animates, expects and must not say. For "turn", ("body", "turn") is the turn in the
direction of the sweep and a turn the other way contradicts it."""


def _part(subject: str) -> str:
    """'left_knee' / 'both_knees' / 'knees' -> 'knee'; 'body' -> 'body'."""
    part = subject.split("_", 1)[-1]
    return {"knees": "knee", "hands": "hand", "feet": "foot"}.get(part, part)


def sequences(name: str, expect: Expect, n: int, seconds: float, fps: float, seed: int):
    """(world joints (n, T, 52, 3), rotations (n, T, 52, 3), turn sign (n,)) of n sequences of a study row."""
    times = np.arange(int(round(seconds * fps)) + 1) / fps
    rng = np.random.default_rng([seed, sorted(EXPECTED).index(name)])
    euler = animate(expect.activity, n, times, rng)
    sign = np.zeros(n)
    if expect.turn:
        sign = rng.choice([-1.0, 1.0], n)
        start, length, amount = rng.uniform(0.5, 2.0, n), rng.uniform(1.0, 2.5, n), rng.uniform(60, 180, n)
        u = np.clip((times[None] - start[:, None]) / length[:, None], 0, 1)
        euler[:, :, 0, 1] += (sign * amount)[:, None] * u * u * (3 - 2 * u)
    rotations = to_rotvecs(euler)
    body = create()
    joints = body.joints(rotations.reshape(-1, *rotations.shape[2:])).reshape(rotations.shape)
    return joints, rotations, sign


def judge(description, expect: Expect, sign: float):
    """(found per expected motion, contradicted, what contradicted) of one sequence's description."""
    codes = description.codes
    worded = sorted({i for s in description.sentences[0] for i in s.codes})
    said = [(_part(codes[i].subject), codes[i].interpretation) for i in worded]
    wanted = {"turn left" if sign > 0 else "turn right"} if expect.turn else set()
    found = []
    for part, motion in expect.found:
        motions = wanted if motion == "turn" else {motion} if isinstance(motion, str) else set(motion)
        found.append(any(p == part and m in motions for p, m in said))
    bad = [f"{p} {m}" for p, m in said if (p, m) in expect.never]
    if expect.turn:
        bad += [f"{p} {m}" for p, m in said if p == "body" and m.startswith("turn ") and m not in wanted]
    for sentence in description.sentences[0]:
        if sentence.statements[0].startswith("repeat "):  # "they do this 3 more times" says no two at once
            continue
        here = {(_part(codes[i].subject), codes[i].interpretation) for i in sentence.codes}
        bad += [f"{a[0]} {a[1]} with {b[0]} {b[1]}" for a, b in expect.not_together if a in here and b in here]
    return found, bool(bad), bad


def study(per_activity=20, seconds=6.0, fps=30.0, seed=0, verbose=False):
    """Per study row: (name, expect, found share per expected motion, found share, contradicted share, examples,
    share of the other rows' sequences in which every motion this row expects is found too)."""
    described = {}
    for name, expect in EXPECTED.items():
        joints, rotations, signs = sequences(name, expect, per_activity, seconds, fps, seed)
        described[name] = [(describe_motion(joints[k], fps, rotations=rotations[k], trajectory=False, seed=seed,
                                            sequence_id=f"{name}/{k}", captions=1), signs[k])
                           for k in range(per_activity)]
    rows = []
    for name, expect in EXPECTED.items():
        found, contradicted, examples = [], 0, []
        for k, (d, sign) in enumerate(described[name]):
            hit, bad, what = judge(d, expect, sign)
            found.append(hit)
            contradicted += bad
            if (bad or not all(hit)) and verbose:
                examples.append((k, hit, what, d.captions[0]))
        others = [all(judge(d, expect, sign if expect.turn else 1.0)[0]) for other, pairs in described.items()
                  if other != name for d, sign in pairs]
        found = np.array(found)
        rows.append((name, expect, found.mean(axis=0), found.mean(), contradicted / per_activity, examples,
                     float(np.mean(others))))
    return rows


def _motion_words(expect):
    words = [f"{p} {m if isinstance(m, str) else ' or '.join(m)}" for p, m in expect.found]
    return ", ".join(w.replace("body body ", "body ").replace("head head ", "head ") for w in words)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-activity", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--fps", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--verbose", action="store_true", help="print the captions that missed or contradicted")
    args = parser.parse_args()
    rows = study(args.per_activity, args.seconds, args.fps, args.seed, args.verbose)
    total = args.per_activity * len(rows)
    print(f"{total} synthetic sequences ({args.per_activity} per activity), {args.seconds:g} s at {args.fps:g} fps, "
          f"seed {args.seed}")
    print("| activity | expected motions | found (each) | found | contradicted | all found in other activities |")
    print("|---|---|---|---|---|---|")
    for name, expect, each, share, bad, _, others in rows:
        per = " / ".join(f"{100 * x:.0f}" for x in each)
        print(f"| {name} | {_motion_words(expect)} | {per} % | {100 * share:.0f} % | {100 * bad:.0f} % "
              f"| {100 * others:.0f} % |")
    print(f"| all | | | {100 * np.mean([r[3] for r in rows]):.1f} % | {100 * np.mean([r[4] for r in rows]):.1f} % "
          f"| |")
    if args.verbose:
        for name, _, _, _, _, examples, _ in rows:
            for k, hit, what, caption in examples[:3]:
                print(f"\n{name}/{k}: found {hit}, contradicted by {what}\n  {caption}")


if __name__ == "__main__":
    main()
