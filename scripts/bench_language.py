"""Time the recording-language check over about 1 MB of notes.

Run: ``.venv/bin/python scripts/bench_language.py [--size-mb 1] [--repeat 5]``

Two texts: "dense", where about half the sentences hold flagged wording, and
"typical", where one in ten does. Both mix in quotations and paragraph breaks, so
every stage of the engine does real work. Prints the best and median time of several
runs (wall clock, and CPU time, which a busy machine inflates less), and the number
of findings. A benchmark, not a test: it makes
no pass/fail judgement.
"""

from __future__ import annotations

import argparse
import statistics
import time

from snt_youth import language

# Dense: about half the sentences hold wording the rules flag (a hard case).
DENSE = [
    "Mr B punched Ms A twice in the kitchen while the children were upstairs.",
    "Mum failed to protect the children from the volatile relationship.",
    "Ms A took the children to her sister's house and called the police.",
    'Jay said "they fight all the time" and that he hides in his room.',
    "She was assaulted on Saturday night.",
    "Ms A has been referred to a domestic abuse support service.",
    "Police were called to a domestic at the address.",
    "Jay named his nan as someone who kept him safe.",
    "Dad has anger issues and was sent to anger management after he hit her.",
    "Mr B checks Ms A's phone and stops her seeing her friends.",
]

# Typical: one sentence in ten holds flagged wording, closer to real case notes.
TYPICAL = [
    "Home visit with Jay and his mum at 4pm; his younger sister was also there.",
    "Jay talked about school and said he has started going to lessons again.",
    "We went through the matrix and Jay named his nan as someone who kept him safe.",
    "Ms A said Mr B still sends messages but she has not replied.",
    "The police were called to a domestic on Friday.",
    "Jay agreed to meet again next Tuesday at the youth centre.",
    "Ms A has been offered support from the local domestic abuse service.",
    "Jay said he feels safer since his dad moved out.",
    "We talked about who he can call if he feels scared at night.",
    "Next steps: share the safety plan with school, with Jay's agreement.",
]


def make_text(size: int, sentences: list[str] = DENSE) -> str:
    """About ``size`` characters of notes, in paragraphs of five sentences."""
    parts: list[str] = []
    total = 0
    i = 0
    while total < size:
        sentence = sentences[i % len(sentences)]
        parts.append(sentence + ("\n\n" if i % 5 == 4 else " "))
        total += len(parts[-1])
        i += 1
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    started = time.perf_counter()
    rules = language.load_rules()  # a one-off cost per process, timed apart
    print(f"load and compile {len(rules)} rules: {time.perf_counter() - started:.3f} s")
    for name, sentences in (("dense", DENSE), ("typical", TYPICAL)):
        text = make_text(int(args.size_mb * 1_000_000), sentences)
        times = []
        cpu = []
        findings = []
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            findings = language.check(text, rules=rules)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        print(
            f"{name:8} {len(text) / 1_000_000:.2f} MB, {len(findings):6} findings: "
            f"best {min(times):.3f} s, median {statistics.median(times):.3f} s "
            f"(CPU best {min(cpu):.3f} s) over {args.repeat} runs"
        )


if __name__ == "__main__":
    main()
