#!/usr/bin/env bash
# Time to page: from the moment a burst of failing attempts is appended to a log until Alertmanager
# holds the alert, for scimwatch (embedded evaluator) and for Prometheus (scrape 15s, evaluation 15s)
# evaluating Alerts/scimwatch-rules.yml, with the same Alertmanager and the same burst, in one run.
# Usage: scripts/bench-time-to-page.sh [RUNS] (default 3). Needs prometheus and prometheus-alertmanager.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
swift build -c release --scratch-path .build-release --product scimwatch >/dev/null
BIN=$PWD/.build-release/release/scimwatch
AM=$(command -v prometheus-alertmanager || command -v alertmanager)
python3 - "$BIN" "$AM" "$RUNS" <<'PY'
import json, os, socket, subprocess, sys, tempfile, time, urllib.request

binary, am_binary, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def get(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as r: return r.read()
    except Exception: return None

def wait(cond, timeout):
    end = time.time() + timeout
    while time.time() < end:
        if cond(): return True
        time.sleep(0.05)
    return False

results = []
for run in range(runs):
    d = tempfile.mkdtemp(prefix="ttp-")
    am_port, sw_port, prom_port = free_port(), free_port(), free_port()
    open(f"{d}/am.yml", "w").write('route: {receiver: "null", group_wait: 0s}\nreceivers: [{name: "null"}]\n')
    procs = [subprocess.Popen([am_binary, f"--config.file={d}/am.yml", f"--storage.path={d}/am",
                               f"--web.listen-address=127.0.0.1:{am_port}", "--cluster.listen-address="],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    open(f"{d}/scimwatch.yml", "w").write(f"""listen: 127.0.0.1:{sw_port}
state: {d}/state.sqlite
sources: [{{name: app, paths: ["{d}/app.log"], format: native}}]
tailer: {{poll_interval: 50ms}}
receivers: [{{name: am, kind: alertmanager, url: "http://127.0.0.1:{am_port}"}}]
""")
    open(f"{d}/app.log", "w").close()
    procs.append(subprocess.Popen([binary, "run", "--config", f"{d}/scimwatch.yml"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    open(f"{d}/prometheus.yml", "w").write(f"""global: {{scrape_interval: 15s, evaluation_interval: 15s, external_labels: {{evaluator: prometheus}}}}
rule_files: ["{os.getcwd()}/Alerts/scimwatch-rules.yml"]
alerting: {{alertmanagers: [{{static_configs: [{{targets: ["127.0.0.1:{am_port}"]}}]}}]}}
scrape_configs: [{{job_name: scimwatch, static_configs: [{{targets: ["127.0.0.1:{sw_port}"]}}]}}]
""")
    procs.append(subprocess.Popen(["prometheus", f"--config.file={d}/prometheus.yml", f"--storage.tsdb.path={d}/prom",
                                   f"--web.listen-address=127.0.0.1:{prom_port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    try:
        assert wait(lambda: get(f"http://127.0.0.1:{sw_port}/metrics") and get(f"http://127.0.0.1:{am_port}/api/v2/status"), 30)
        # Let Prometheus take a few scrapes of the idle counters, so increase() has a baseline.
        assert wait(lambda: b'"result":[{' in (get(f"http://127.0.0.1:{prom_port}/api/v1/query?query=count_over_time(scim_slo_events_total%5B1m%5D)>=2") or b""), 90)
        now = int(time.time() * 1000)
        burst = "".join(json.dumps({"time": now + i, "tenant": "acme", "target": "zoom", "operation": "update",
                                    "status": 200 if i % 10 == 0 else 401}) + "\n" for i in range(300))
        t0 = time.time()
        with open(f"{d}/app.log", "a") as f: f.write(burst)
        seen = {}
        def check():
            body = get(f"http://127.0.0.1:{am_port}/api/v2/alerts")
            for a in json.loads(body or b"[]"):
                l = a["labels"]
                if l.get("alertname") == "SLOBurnRatePage" and l.get("slo") == "scim-requests":
                    who = l.get("evaluator", "scimwatch")
                    seen.setdefault(who, time.time() - t0)
            return len(seen) == 2
        wait(check, 120)
        results.append(seen)
        print(f"run {run + 1}: scimwatch {seen.get('scimwatch', float('nan')):.2f} s, prometheus {seen.get('prometheus', float('nan')):.2f} s", flush=True)
    finally:
        for p in procs: p.kill()
        for p in procs: p.wait()

def median(xs):
    xs = sorted(x for x in xs if x is not None); return xs[len(xs) // 2] if xs else float("nan")
print(f"median over {runs} runs: scimwatch {median([r.get('scimwatch') for r in results]):.2f} s, "
      f"prometheus {median([r.get('prometheus') for r in results]):.2f} s")
PY
