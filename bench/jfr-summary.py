# Summarises a JFR recording's execution samples (as `jfr print --stack-depth 200 --events jdk.ExecutionSample`
# prints them): the hottest frames by self time, and the frames of our own code (or of the given package prefixes,
# comma-separated) by inclusive time. Usage: jfr-summary.py SAMPLES.txt [PREFIXES]
import re, sys, collections
PREFIXES = sys.argv[2].split(",") if len(sys.argv) > 2 else ["org.hdil2"]
top, ours, total = collections.Counter(), collections.Counter(), 0
frames = []
def flush():
    global total
    if frames:
        total += 1
        top[frames[0]] += 1
        for f in dict.fromkeys(f for f in frames if any(p in f for p in PREFIXES)):
            ours[f] += 1
for line in open(sys.argv[1]):
    line = line.strip()
    if line.startswith("jdk.ExecutionSample"):
        flush(); frames = []
    m = re.match(r"([\w$.<>]+)\(.*\)\s+line:", line)
    if m:
        frames.append(m.group(1))
flush()
print(f"{sys.argv[1]}: {total} execution samples")
print("hottest frames (self):")
for f, n in top.most_common(20):
    print(f"  {100 * n / total:5.1f} %  {f}")
print("suite frames (inclusive):")
for f, n in ours.most_common(25):
    print(f"  {100 * n / total:5.1f} %  {f}")
