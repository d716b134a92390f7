#!/usr/bin/env python3
"""Fault drill for Supervision.EventSourced (issue 17). Started by ops/chaos/drill.sh, which has made a fresh durable
cluster, published the API and applied the migrations. This program starts the nodes, sets up a department with a
completed draw (its cases are the source of scheduled deadline messages), drives load with Idempotency-Key retries,
injects every fault kind, then checks from the database. Python 3 standard library only."""
import argparse, base64, collections, concurrent.futures as cf, csv, datetime as dt, hashlib, hmac, http.client, io, json
import os, pwd, random, shutil, signal, statistics, subprocess, sys, threading, time, uuid

SCHEMA = "supervision"
ap = argparse.ArgumentParser()
ap.add_argument("--mode", default="quick")
ap.add_argument("--repo", required=True)
ap.add_argument("--area", required=True)
ap.add_argument("--conn", required=True)
ap.add_argument("--nodes", type=int, default=2)
ap.add_argument("--base-port", type=int, default=5471)
ap.add_argument("--rate", type=float, default=20)
ap.add_argument("--injections", type=int)
ap.add_argument("--calm", type=float)
ap.add_argument("--polling-ms", type=int, default=1000)
ap.add_argument("--out", required=True)
ap.add_argument("--keep", action="store_true")
A = ap.parse_args()
INJ = A.injections or (5 if A.mode == "full" else 1)
CALM = A.calm or (12 if A.mode == "full" else 8)
PG_PORT = int(A.conn.split("Port=")[1].split(";")[0])
assert PG_PORT != 55432, "never the shared cluster"
PG_DATA = os.path.join(A.area, "pg")
APP = os.path.join(A.area, "app")
T0 = time.time()


def log(*a):
    print(f"[{time.time() - T0:7.1f}s]", *a, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------------------------------
# The drill's own PostgreSQL: only the postmaster named in its own postmaster.pid, and that postmaster's children.
# ------------------------------------------------------------------------------------------------------------------
PG_ENV = dict(os.environ, SUPERVISION_PG_PORT=str(PG_PORT), SUPERVISION_PG_DATA=A.area)
PG_ENV.pop("SUPERVISION_CONNECTION_STRING", None)


def pg_sh(cmd):
    return subprocess.run(["bash", os.path.join(A.repo, "ops/pg.sh"), cmd], env=PG_ENV, capture_output=True, text=True)


def postmaster_pid():
    try:
        with open(os.path.join(PG_DATA, "postmaster.pid")) as f:
            lines = f.read().split("\n")
        pid = int(lines[0])
        # Safety: the process must be a postgres whose data directory is ours.
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().split(b"\0")
        real = os.path.realpath(PG_DATA).encode()
        if not any(os.path.realpath(c.decode(errors="ignore")).encode() == real for c in cmd if c.startswith(b"/")):
            return None
        with open(f"/proc/{pid}/stat") as f:
            if f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                return None
        return pid
    except (OSError, ValueError, IndexError):
        return None


def children_of(pid):
    out = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(p))
            except (OSError, ValueError):
                pass
    return out


def pg_ctl(*args):
    """pg_ctl of the drill cluster, as the data directory's owner (ops/pg.sh is slow on a loaded machine: seconds of checks)."""
    version = open(os.path.join(PG_DATA, "PG_VERSION")).read().strip()
    exe = f"/usr/lib/postgresql/{version}/bin/pg_ctl"
    if not os.path.exists(exe):
        exe = shutil.which("pg_ctl") or exe
    owner = pwd.getpwuid(os.stat(PG_DATA).st_uid).pw_name
    cmd = [exe, "-D", PG_DATA, *args]
    if os.getuid() == 0 and owner != "root":
        cmd = ["runuser", "-u", owner, "--"] + cmd
    return subprocess.run(cmd, cwd="/", capture_output=True, text=True, env=dict(os.environ, LC_ALL="C"))


def pg_stop():
    r = pg_ctl("stop", "-m", "fast", "-w", "-t", "120")
    if r.returncode != 0:
        log("pg_ctl stop:", r.stderr.strip()[-500:])


def pg_start():
    r = pg_ctl("start", "-w", "-t", "120", "-l", os.path.join(A.area, "pg.log"))
    if r.returncode != 0:
        log("pg_ctl start failed, trying ops/pg.sh start:", r.stderr.strip()[-500:])
        r = pg_sh("start")
    return r.returncode == 0


def psql(sql, timeout=60):
    r = subprocess.run(["psql", "-X", "-qtA", "-F", "\t", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-d", "supervision",
                        "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(f"psql failed: {r.stderr.strip()} -- {sql[:200]}")
    return [line.split("\t") for line in r.stdout.splitlines() if line != ""]


def psql_retry(sql, timeout=60, tries=60):
    for i in range(tries):
        try:
            return psql(sql, timeout)
        except (RuntimeError, subprocess.TimeoutExpired):
            if i == tries - 1:
                raise
            time.sleep(1)


# ------------------------------------------------------------------------------------------------------------------
# Tokens (HS256 with the nodes' Auth__SigningKey, the claims TokenIssuer writes)
# ------------------------------------------------------------------------------------------------------------------
SIGNING_KEY = base64.b64encode(os.urandom(64)).decode()
SEAL_KEY = base64.b64encode(os.urandom(32)).decode()


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def token(user, role, dept=None):
    now = int(time.time())
    claims = {"sub": user, "name": user, "role": role, "iss": "supervision-local", "aud": "supervision-api", "iat": now, "nbf": now - 5,
              "exp": now + 6 * 3600}
    if dept:
        claims["dept"] = dept
    head = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + b64url(json.dumps(claims).encode())
    sig = hmac.new(base64.b64decode(SIGNING_KEY), head.encode(), hashlib.sha256).digest()
    return head + "." + b64url(sig)


# ------------------------------------------------------------------------------------------------------------------
# Nodes
# ------------------------------------------------------------------------------------------------------------------
class Node:
    def __init__(self, i):
        self.i, self.port, self.proc, self.number, self.starts = i, A.base_port + i, None, None, 0
        self.alive = False

    def start(self):
        known = {r[0] for r in psql_retry(f"select node_number from {SCHEMA}.wolverine_nodes")}
        env = dict(os.environ, ASPNETCORE_ENVIRONMENT="Production", ConnectionStrings__Supervision=A.conn, Auth__SigningKey=SIGNING_KEY,
                   Supervision__DrawSealKey=SEAL_KEY, Supervision__ScheduledJobPollingMilliseconds=str(A.polling_ms),
                   DOTNET_gcServer="0")
        self.starts += 1
        logf = open(os.path.join(A.area, f"node{self.i}.log"), "ab")
        logf.write(f"\n===== start {self.starts} at {dt.datetime.utcnow().isoformat()}Z =====\n".encode())
        self.proc = subprocess.Popen(["dotnet", "Supervision.Api.dll", "--urls", f"http://127.0.0.1:{self.port}"], cwd=APP, env=env,
                                     stdout=logf, stderr=subprocess.STDOUT, start_new_session=True)
        t = time.time()
        while time.time() - t < 180:
            if self.proc.poll() is not None:
                raise RuntimeError(f"node {self.i} exited with {self.proc.returncode}; see {A.area}/node{self.i}.log")
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=3)
                c.request("GET", "/health/ready")
                if c.getresponse().status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.3)
        ready = time.time() - t
        self.alive = True
        # Its Wolverine node number (the owner_id of the envelopes it holds): the row that was not there before.
        t2 = time.time()
        while time.time() - t2 < 60:
            rows = [r[0] for r in psql_retry(f"select node_number from {SCHEMA}.wolverine_nodes order by node_number") if r[0] not in known]
            if rows:
                self.number = int(rows[-1])
                break
            time.sleep(0.5)
        log(f"node {self.i} (pid {self.proc.pid}, port {self.port}, wolverine node {self.number}) ready after {ready:.1f}s")
        return ready

    def kill9(self):
        self.alive = False
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self):
        self.alive = False
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill9()


NODES = [Node(i) for i in range(A.nodes)]


# ------------------------------------------------------------------------------------------------------------------
# HTTP
# ------------------------------------------------------------------------------------------------------------------
def http_call(node, method, path, tok, body=None, key=None, timeout=20, ctype="application/json"):
    c = http.client.HTTPConnection("127.0.0.1", node.port, timeout=timeout)
    headers = {"Authorization": "Bearer " + tok}
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers["Content-Type"] = ctype
    if key:
        headers["Idempotency-Key"] = key
    try:
        c.request(method, path, body=data, headers=headers)
        r = c.getresponse()
        raw = r.read()
        return r.status, raw
    finally:
        c.close()


def setup_call(method, path, tok, body=None, ok=(200, 201), ctype="application/json", timeout=600):
    """Setup: retried with one key until a definitive answer, like the load."""
    key = str(uuid.uuid4())
    for attempt in range(40):
        node = NODES[attempt % len(NODES)]
        try:
            status, raw = http_call(node, method, path, tok, body, key if method != "GET" else None, timeout, ctype)
        except OSError as e:
            status, raw = 0, str(e).encode()
        if status in ok:
            return json.loads(raw) if raw else None
        if status and status < 500 and status not in (408, 429):
            raise RuntimeError(f"setup {method} {path}: {status} {raw[:500]!r}")
        time.sleep(1)
    raise RuntimeError(f"setup {method} {path}: no answer")


# ------------------------------------------------------------------------------------------------------------------
# Load: logical commands, each retried with the same Idempotency-Key until a definitive answer
# ------------------------------------------------------------------------------------------------------------------
class Cmd:
    __slots__ = ("kind", "key", "path", "body", "tok", "phase", "created", "attempts", "statuses", "final", "acked_at", "ack_node",
                 "response", "ref", "pin")

    def __init__(self, kind, path, body, tok, ref, pin=None):
        self.kind, self.path, self.body, self.tok, self.ref, self.pin = kind, path, body, tok, ref, pin
        self.key, self.phase, self.created = str(uuid.uuid4()), PHASE[0], time.time()
        self.attempts, self.statuses, self.final, self.acked_at, self.ack_node, self.response = 0, [], None, None, None, None


LOCK = threading.Lock()
PHASE = [0]
COMMANDS = []
ACKS = []                       # (time, node index)
RR = [0]
GIVE_UP_S = 300
STOPPING = threading.Event()
ACK_EVENT = {}                  # node index -> threading.Event (set on its next ack), for the node-kill bursts


def pick_node(cmd):
    if cmd.pin is not None and cmd.attempts == 1:
        return NODES[cmd.pin]
    with LOCK:
        RR[0] += 1
        return NODES[RR[0] % len(NODES)]


def run(cmd):
    delay = 0.25
    while True:
        cmd.attempts += 1
        node = pick_node(cmd)
        try:
            status, raw = http_call(node, "POST", cmd.path, cmd.tok, cmd.body, cmd.key)
        except OSError as e:
            status, raw = 0, type(e).__name__.encode()
        cmd.statuses.append(status)
        if 200 <= status < 300:
            cmd.final, cmd.acked_at, cmd.ack_node = status, time.time(), node.i
            try:
                cmd.response = json.loads(raw) if raw else None
            except ValueError:
                cmd.response = None
            with LOCK:
                ACKS.append((cmd.acked_at, node.i))
                ev = ACK_EVENT.get(node.i)
            if ev:
                ev.set()
            on_ack(cmd)
            return
        if status and status < 500 and status not in (408, 429):
            cmd.final = status
            cmd.response = raw[:300]
            return
        if time.time() - cmd.created > GIVE_UP_S:
            cmd.final = -1          # unresolved: no definitive answer
            return
        time.sleep(delay + random.random() * 0.2)
        delay = min(delay * 1.6, 2.0)


POOL = cf.ThreadPoolExecutor(max_workers=64)
INFLIGHT = [0]
CASES_FREE = collections.deque()     # (case id, staff code, version) not started yet
CASES_STARTED = collections.deque()  # (case id, staff code, version after start)
RESERVE = 40                         # started cases kept back for the node-kill bursts
TOKENS = {}
CTX = {}
COUNTER = [0]


def submit(cmd):
    with LOCK:
        COMMANDS.append(cmd)
        INFLIGHT[0] += 1

    def go():
        try:
            run(cmd)
        except Exception as e:           # a bug in the drill itself must not look like a lost command
            cmd.final = -2
            cmd.response = repr(e)[:300].encode()
        finally:
            with LOCK:
                INFLIGHT[0] -= 1
    POOL.submit(go)


def on_ack(cmd):
    if cmd.kind == "case-start":
        version = (cmd.response or {}).get("version")
        with LOCK:
            CASES_STARTED.append((cmd.ref[0], cmd.ref[1], version))


def credit_code(n):
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    p = f"91130500MA{n:07d}"
    s = sum(alphabet.index(c) * pow(3, i, 31) for i, c in enumerate(p))
    return p + alphabet[(31 - s % 31) % 31]


def new_command():
    with LOCK:
        COUNTER[0] += 1
        n = COUNTER[0]
        started = len(CASES_STARTED) > RESERVE
        free = len(CASES_FREE) > 0
    r = random.random()
    if r < 0.2 and started:
        with LOCK:
            case_id, staff, version = CASES_STARTED.popleft()
        return case_end(case_id, staff, version)
    if r < 0.4 and free:
        with LOCK:
            case_id, staff, version = CASES_FREE.popleft()
        return Cmd("case-start", f"/api/cases/{case_id}/start", {"startedOn": "2026-03-02", "version": version}, TOKENS["insp:" + staff],
                   (case_id, staff))
    if r < 0.75:
        code = credit_code(5_000_000 + n)
        return Cmd("target", "/api/targets", {"creditCode": code, "name": f"演练企业{n}有限公司", "kind": "Enterprise", "regionCode": "130521",
                                               "status": "Operating"}, TOKENS["keeper"], code)
    name = f"演练计划 {uuid.uuid4().hex[:12]}"
    return Cmd("plan", "/api/plans", {"departmentId": CTX["dept"], "year": 2030 + n % 10, "name": name}, TOKENS["planner"], name)


def case_end(case_id, staff, version, pin=None):
    return Cmd("case-end", f"/api/cases/{case_id}/end", {"endedOn": "2026-03-03", "methods": ["OnSite"], "version": version},
               TOKENS["insp:" + staff], case_id, pin)


def load_loop():
    interval = 1.0 / A.rate
    nxt = time.time()
    while not STOPPING.is_set():
        nxt += interval
        with LOCK:
            busy = INFLIGHT[0]
        if busy < 60:
            submit(new_command())
        else:
            THROTTLED[0] += 1
        time.sleep(max(0, nxt - time.time()))


THROTTLED = [0]
LOAD_S = [0.0]


def server_errors():
    """What the nodes logged for each 500 (ExceptionHandlerMiddleware): path template and the exception's kind."""
    import re
    c = collections.Counter()
    for n in NODES:
        try:
            f = open(os.path.join(A.area, f"node{n.i}.log"), errors="replace")
        except OSError:
            continue
        with f:
            for line in f:
                if "ExceptionHandlerMiddleware" not in line:
                    continue
                try:
                    d = json.loads(line)
                except ValueError:
                    continue
                path = next((x.get("RequestPath") for x in d.get("Scopes", []) if isinstance(x, dict) and "RequestPath" in x), "?") or "?"
                path = re.sub("[0-9a-f]{8}-[0-9a-f-]{27}", "{id}", path)
                ex = d.get("Exception", "").split("\n")[0]
                ex = re.sub("'[0-9a-f]{8}-[0-9a-f-]{27}'", "'…'", ex)
                ex = re.sub(r" \(0x[0-9A-F]+\)", "", ex)[:110]
                c[(path, ex)] += 1
    return c


# ------------------------------------------------------------------------------------------------------------------
# Setup: organisation, inspectors, a pool of targets, a matter, an approved plan, a completed draw, its cases
# ------------------------------------------------------------------------------------------------------------------
def setup(case_count):
    admin = token("drill-admin", "system-admin")
    for code, name in (("130000", "河北省"), ("130500", "邢台市"), ("130521", "邢台县"), ("130522", "临城县")):
        setup_call("POST", "/api/regions", admin, {"code": code, "name": name}, ok=(201, 409))
    setup_call("POST", "/api/departments", admin, {"code": "XT-DRILL", "name": "演练市场监督管理局", "kind": "MarketRegulation", "regionCode": "130521"},
               ok=(201, 409))
    depts = setup_call("GET", "/api/departments", admin)
    depts = depts if isinstance(depts, list) else depts.get("items", [])
    dept = next(d["id"] for d in depts if d["code"] == "XT-DRILL")
    CTX["dept"] = dept
    TOKENS["keeper"] = keeper = token("drill-keeper", "directory-keeper", dept)
    TOKENS["planner"] = planner = token("drill-planner", "planner", dept)
    approver = token("drill-approver", "approver", dept)
    jj_a, jj_b = token("drill-jijian-a", "discipline-inspector", dept), token("drill-jijian-b", "discipline-inspector", dept)
    staff = [f"DR-{k}" for k in range(1, 7)]
    for s in staff:
        setup_call("POST", "/api/inspectors", keeper, {"staffCode": s, "name": "检查员" + s, "departmentId": dept, "post": "科员", "regionCode": "130521",
                                                       "certificates": [{"number": "JA-" + s, "issuedOn": "2024-01-01", "expiresOn": "2035-12-31"}],
                                                       "tags": [], "expert": False, "activeFrom": "2025-01-01"}, ok=(201, 409))
        TOKENS["insp:" + s] = token(s, "inspector", dept)
    pool = case_count * 5
    buf = io.StringIO()
    buf.write("credit_code,name,kind,region_code,status\n")
    for n in range(pool):
        buf.write(f"{credit_code(1_000_000 + n)},演练抽取企业{n},Enterprise,130521,Operating\n")
    log(f"importing {pool} targets for the draw")
    setup_call("POST", "/api/targets/import", keeper, buf.getvalue().encode(), ok=(200,), ctype="text/csv")
    matter = setup_call("POST", "/api/matters", keeper, {"code": "XT-DRILL-SP", "name": "食品经营者检查", "legalBasis": "《食品安全法》", "ownerDepartmentId": dept,
                                                         "content": "检查内容", "methods": ["OnSite"], "category": "General", "ratioCapPercent": 20},
                        ok=(201,))["value"]
    plan = setup_call("POST", "/api/plans", planner, {"departmentId": dept, "year": 2027, "name": "演练年度计划"}, ok=(201,))["value"]
    task = {"name": "演练抽查", "type": "Undirected", "initiatingDepartmentId": dept, "participants": [
        {"departmentId": dept, "matters": [{"matterId": matter["id"], "version": matter.get("version", 1) if isinstance(matter.get("version"), int) else 1}]}],
            "scope": {"regionCode": "130521"}, "scopeDescription": "演练企业", "sampling": {"ratioPercent": 20}, "inspectorsPerTarget": 2,
            "windowFrom": "2027-03-01", "windowTo": "2027-04-30"}
    plan = setup_call("POST", f"/api/plans/{plan['id']}/tasks", planner, {"task": task, "version": plan["version"]})
    plan = setup_call("POST", f"/api/plans/{plan['id']}/submit", planner, {"version": plan["version"]})
    plan = setup_call("POST", f"/api/plans/{plan['id']}/approve", approver, {"comment": None, "version": plan["version"]})
    task_number = plan["tasks"][0]["number"]
    not_before = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=20)).replace(microsecond=0)
    draw = setup_call("POST", "/api/draws", planner, {"planId": plan["id"], "taskNumber": task_number, "sources": [
        {"name": "fc3d", "kind": "beacon", "notBefore": not_before.isoformat().replace("+00:00", "Z"), "description": "演练 福彩3D"}]},
                      ok=(201,))["value"]
    contribution = os.urandom(32).hex()
    draw = setup_call("POST", f"/api/draws/{draw['id']}/commitment", jj_a,
                      {"disciplineContributionSha256": hashlib.sha256(bytes.fromhex(contribution)).hexdigest(), "version": draw["version"]})
    while dt.datetime.now(dt.timezone.utc) < not_before + dt.timedelta(seconds=2):
        time.sleep(0.5)
    setup_call("POST", f"/api/draws/{draw['id']}/randomness", jj_a, {"source": "fc3d", "value": "3 9 1"})
    setup_call("POST", f"/api/draws/{draw['id']}/randomness", jj_b, {"source": "fc3d", "value": "3 9 1"})
    draw = setup_call("POST", f"/api/draws/{draw['id']}/contribution", jj_a, {"contribution": contribution})
    draw = setup_call("POST", f"/api/draws/{draw['id']}/draw", planner, {"version": draw["version"]})
    log(f"draw {draw['id']} done; opening its cases")
    setup_call("POST", f"/api/draws/{draw['id']}/cases", planner, {})
    rows = psql_retry(f"select id, data->'Team'->0->>'StaffCode', data->>'Version' from {SCHEMA}.mt_doc_inspectioncase")
    for case_id, s, version in rows:
        CASES_FREE.append((case_id, s, int(version)))
    log(f"{len(CASES_FREE)} cases ready")


# ------------------------------------------------------------------------------------------------------------------
# Faults
# ------------------------------------------------------------------------------------------------------------------
def pg_fast_stop():
    t = time.time()
    pg_stop()
    pg_start()
    return t, time.time(), {}


def pg_crash():
    pid = postmaster_pid()
    kids = children_of(pid) if pid else []
    t = time.time()
    if pid:
        os.kill(pid, signal.SIGKILL)
    # Its backends notice the postmaster's death and exit; a new postmaster must not find them attached.
    while any(os.path.exists(f"/proc/{k}") and open(f"/proc/{k}/stat").read().rsplit(")", 1)[1].split()[0] not in "ZX" for k in kids):
        time.sleep(0.1)
    if postmaster_pid() is None and os.path.exists(os.path.join(PG_DATA, "postmaster.pid")):
        os.remove(os.path.join(PG_DATA, "postmaster.pid"))
    pg_start()
    return t, time.time(), {}


def pg_freeze():
    pid = postmaster_pid()
    pids = [pid] + children_of(pid) if pid else []
    t = time.time()
    for p in pids:
        try:
            os.kill(p, signal.SIGSTOP)
        except OSError:
            pass
    time.sleep(5)
    for p in pids:
        try:
            os.kill(p, signal.SIGCONT)
        except OSError:
            pass
    return t, time.time(), {}


def pg_kill_connections():
    t = time.time()
    n = psql_retry("select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = 'supervision' and pid <> pg_backend_pid() "
                   "and backend_type = 'client backend'")[0][0]
    return t, time.time(), {"terminated": int(n)}


def pg_outage():
    t = time.time()
    pg_stop()
    time.sleep(12)
    pg_start()
    return t, time.time(), {}


def leader_node():
    rows = psql_retry(f"select n.node_number from {SCHEMA}.wolverine_node_assignments a join {SCHEMA}.wolverine_nodes n on n.id = a.node_id "
                      "where a.id like '%leader%'")
    number = int(rows[0][0]) if rows else None
    return next((n for n in NODES if n.alive and n.number == number), None)


def node_kill(leader):
    alive = [n for n in NODES if n.alive]
    lead = leader_node()
    if leader:
        victim = lead or alive[0]
    else:
        victim = next((n for n in alive if n is not lead), alive[-1])
    # A burst of case ends (each schedules two deadline messages) sent to the victim. At its first answer the victim is
    # frozen (SIGSTOP) and what it holds is read from the database; with work held it is killed (SIGKILL), which is a
    # crash at that instant. Without, it goes on (SIGCONT) and the next answer is tried.
    held, bursts, t = [], 0, None
    while not held and bursts < 4:
        bursts += 1
        ev = threading.Event()
        with LOCK:
            ACK_EVENT[victim.i] = ev
            burst = [CASES_STARTED.popleft() for _ in range(min(30, len(CASES_STARTED)))]
        for c, s, v in burst:
            submit(case_end(c, s, v, pin=victim.i))
        for _ in range(10):
            if not ev.wait(10):
                break
            ev.clear()
            os.kill(victim.proc.pid, signal.SIGSTOP)
            t = time.time()
            held = [r[0] for r in psql_retry(f"select id from {SCHEMA}.wolverine_incoming_envelopes where owner_id = {victim.number} and status = 'Incoming'")]
            if held:
                break
            os.kill(victim.proc.pid, signal.SIGCONT)
    with LOCK:
        ACK_EVENT.pop(victim.i, None)
    if t is None:
        t = time.time()
    victim.kill9()
    # What it held: incoming envelopes it owned and had not handled.
    info = {"node": victim.i, "wolverine_node": victim.number, "was_leader": victim is lead, "held": len(held), "bursts": bursts}
    moved = None
    if not leader:
        info["restart_ready_s"] = round(victim.start(), 1)   # at once: its old envelopes still wait for the cluster to notice the dead node
    if held:
        ids = ",".join(f"'{h}'" for h in held)
        while time.time() - t < 240:
            left = int(psql_retry(f"select count(*) from {SCHEMA}.wolverine_incoming_envelopes where id in ({ids}) and status <> 'Handled'")[0][0])
            if left == 0:
                moved = time.time() - t
                break
            time.sleep(0.5)
        info["moved_s"] = moved
    if leader:
        info["restart_ready_s"] = round(victim.start(), 1)
    log(f"  {info}")
    return t, t, info


FAULTS = [("pg fast stop + start", pg_fast_stop), ("pg crash (kill -9 postmaster)", pg_crash), ("pg freeze 5 s (SIGSTOP)", pg_freeze),
          ("killed connections", pg_kill_connections), ("pg outage 12 s", pg_outage), ("node kill -9, restart", lambda: node_kill(False)),
          ("leader/work-holder kill -9", lambda: node_kill(True))]


def first_ack_after(t):
    with LOCK:
        later = [a for a, _ in ACKS if a >= t]
    return min(later) - t if later else None


# ------------------------------------------------------------------------------------------------------------------
# Checks from the database
# ------------------------------------------------------------------------------------------------------------------
def counts(sql):
    return {r[0]: int(r[1]) for r in psql_retry(sql, timeout=300)}


def check(phases):
    ev = f"{SCHEMA}.mt_events"
    acked = [c for c in COMMANDS if c.final and 200 <= c.final < 300]
    types = {r[0] for r in psql_retry(f"select distinct type from {ev}")}
    for t in ("target_registered", "plan_drafted", "inspection_started", "inspection_ended", "result_entry_due_raised", "result_entry_overdue_raised"):
        if t not in types:
            log(f"warning: no event of type {t} in the store (types: {sorted(types)[:40]})")
    tgt_ev = counts(f"select data->>'CreditCode', count(*) from {ev} where type = 'target_registered' and data->>'CreditCode' like '91130500MA5%' group by 1")
    tgt_rm = counts(f"select data->>'CreditCode', count(*) from {SCHEMA}.mt_doc_target where data->>'CreditCode' like '91130500MA5%' group by 1")
    plan_ev = counts(f"select data->>'Name', count(*) from {ev} where type = 'plan_drafted' and data->>'Name' like '演练计划 %' group by 1")
    plan_rm = counts(f"select data->>'Name', count(*) from {SCHEMA}.mt_doc_annualplan where data->>'Name' like '演练计划 %' group by 1")
    case_ev = collections.defaultdict(collections.Counter)
    for sid, typ, n in psql_retry(f"select stream_id, type, count(*) from {ev} where type in ('inspection_started', 'inspection_ended', "
                                  "'result_deadline_set', 'result_entry_due_raised', 'result_entry_overdue_raised') group by 1, 2", timeout=300):
        case_ev[sid][typ] = int(n)

    def occurrences(c):
        if c.kind == "target":
            return [tgt_ev.get(c.ref, 0), tgt_rm.get(c.ref, 0)]
        if c.kind == "plan":
            return [plan_ev.get(c.ref, 0), plan_rm.get(c.ref, 0)]
        if c.kind == "case-start":
            return [case_ev[c.ref[0]]["inspection_started"]]
        return [case_ev[c.ref]["inspection_ended"], case_ev[c.ref]["result_deadline_set"]]

    rows = []
    # A dead letter counts against the fault during which it failed (its message may have been sent in an earlier phase).
    dl = psql_retry(f"select coalesce(extract(epoch from coalesce(failed_at, sent_at)), 0), message_type, exception_type, "
                    f"coalesce(left(regexp_replace(exception_message, '\\s+', ' ', 'g'), 300), ''), coalesce(failed_at::text, '') from {SCHEMA}.wolverine_dead_letters")
    proj_dl = int(psql_retry(f"select count(*) from {SCHEMA}.mt_doc_deadletterevent")[0][0])
    by_kind = collections.OrderedDict()
    for idx, p in enumerate(phases):
        by_kind.setdefault(p["kind"], []).append(idx)
    findings = []
    for kind, idxs in by_kind.items():
        cmds = [c for c in COMMANDS if c.phase in idxs]
        ack = [c for c in cmds if c.final and 200 <= c.final < 300]
        lost = [c for c in ack if min(occurrences(c)) == 0]
        dup = [c for c in ack if max(occurrences(c)) > 1]
        unacked_committed = [c for c in cmds if not (c.final and 200 <= c.final < 300) and c.kind in ("target", "plan") and max(occurrences(c)) > 0]
        ends = [c for c in ack if c.kind == "case-end"]
        sched_expected = 2 * len(ends)
        ran_once = sum((case_ev[c.ref]["result_entry_due_raised"] == 1) + (case_ev[c.ref]["result_entry_overdue_raised"] == 1) for c in ends)
        sched_dup = sum((case_ev[c.ref]["result_entry_due_raised"] > 1) + (case_ev[c.ref]["result_entry_overdue_raised"] > 1) for c in ends)
        sched_missing = sum((case_ev[c.ref]["result_entry_due_raised"] == 0) + (case_ev[c.ref]["result_entry_overdue_raised"] == 0) for c in ends)
        windows = [(phases[i]["start"], phases[i + 1]["start"] if i + 1 < len(phases) else 1e12) for i in idxs]
        dead = sum(1 for t, *_ in dl if any(a <= float(t) < b for a, b in windows)) if kind != "baseline" else \
            sum(1 for t, *_ in dl if any(a <= float(t) < b for a, b in windows) or float(t) == 0)
        statuses = collections.Counter(s for c in cmds for s in c.statuses)
        rejected = collections.Counter(c.final for c in cmds if c.final and c.final >= 400)
        unresolved = sum(1 for c in cmds if c.final is None or c.final < 0)
        recov = [phases[i]["recovery"] for i in idxs if phases[i]["recovery"] is not None]
        moved = [phases[i]["info"].get("moved_s") for i in idxs if "held" in phases[i]["info"]]
        held = [phases[i]["info"].get("held") for i in idxs if "held" in phases[i]["info"]]
        rows.append({"kind": kind, "injections": len(idxs) if kind != "baseline" else 0, "sent": len(cmds), "acked": len(ack), "lost": len(lost),
                     "dup": len(dup), "dead": dead, "sched": f"{ran_once}/{sched_expected}", "sched_dup": sched_dup, "sched_missing": sched_missing,
                     "recov": recov, "moved": moved, "held": held, "s500": statuses.get(500, 0), "s503": statuses.get(503, 0),
                     "neterr": statuses.get(0, 0), "rejected": dict(rejected), "unresolved": unresolved, "unacked_committed": len(unacked_committed)})
        for c in lost[:5] + dup[:5]:
            findings.append(f"{kind}: {c.kind} {c.ref} acked {c.final} on node {c.ack_node}, occurrences {occurrences(c)}, statuses {c.statuses}")
        for c in [c for c in cmds if c.final and c.final >= 400][:5]:
            findings.append(f"{kind}: {c.kind} rejected {c.final} after statuses {c.statuses}: {c.response[:200]!r}")
    kinds = []
    for kind in ("target", "plan", "case-start", "case-end"):
        cmds = [c for c in COMMANDS if c.kind == kind]
        ack = [c for c in cmds if c.final and 200 <= c.final < 300]
        lat = sorted(c.acked_at - c.created for c in ack)
        st = collections.Counter(s for c in cmds for s in c.statuses)
        kinds.append({"kind": kind, "sent": len(cmds), "acked": len(ack), "retried": sum(1 for c in ack if c.attempts > 1),
                      "rejected": dict(collections.Counter(c.final for c in cmds if c.final and c.final >= 400)),
                      "unresolved": sum(1 for c in cmds if c.final is None or c.final < 0),
                      "lat": f"{lat[len(lat) // 2]:.2f} / {lat[int(len(lat) * 0.95)]:.2f}" if lat else "–",
                      "statuses": ", ".join(f"{k}: {v}" for k, v in sorted(st.items()) if not 200 <= k < 300)})
    return rows, dl, proj_dl, findings, kinds


def fmt_s(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "–"
    return f"{statistics.median(xs):.1f} / {max(xs):.1f}"


def main():
    started = dt.datetime.now(dt.timezone.utc)
    for n in NODES:
        n.start()
    duration_guess = (len(FAULTS) * INJ) * (CALM + 15) + 5 * INJ * 60 + CALM
    cases = min(4000, int(duration_guess * A.rate * 0.1) + RESERVE + 120 * 2 * INJ + 50)   # the load falls back to other kinds if they run out
    setup(cases)
    loader = threading.Thread(target=load_loop, daemon=True)
    loader.start()
    phases = [{"kind": "baseline", "start": time.time(), "recovery": None, "info": {}}]
    log(f"baseline load for {CALM}s")
    time.sleep(CALM)
    order = [f for f in FAULTS for _ in range(INJ)]
    random.seed(17)
    random.shuffle(order)
    for k, (name, fn) in enumerate(order):
        # Keep some started cases for the node-kill bursts.
        phases.append({"kind": name, "start": time.time(), "recovery": None, "info": {}})
        PHASE[0] = len(phases) - 1
        log(f"fault {k + 1}/{len(order)}: {name}")
        t_start, t_end, info = fn()
        p = phases[-1]
        if t_end > t_start:
            info["fault_s"] = round(t_end - t_start, 1)
        p["info"] = info
        p["fault_end"] = t_end
        time.sleep(CALM)
        p["recovery"] = first_ack_after(t_end)
        log(f"  first successful command {p['recovery'] if p['recovery'] is None else round(p['recovery'], 2)}s after the fault ended")
    STOPPING.set()
    loader.join()
    LOAD_S[0] = time.time() - phases[0]["start"]
    log("load stopped; waiting for in-flight commands")
    t = time.time()
    while time.time() - t < GIVE_UP_S + 30:
        with LOCK:
            if INFLIGHT[0] == 0:
                break
        time.sleep(1)
    log("waiting for scheduled messages of acknowledged case ends")
    ends = [c.ref for c in COMMANDS if c.kind == "case-end" and c.final and 200 <= c.final < 300]
    t = time.time()
    while time.time() - t < 300:
        pending = int(psql_retry(f"select count(*) from {SCHEMA}.wolverine_incoming_envelopes where status <> 'Handled'")[0][0])
        ran = int(psql_retry(f"select count(distinct stream_id) from {SCHEMA}.mt_events where type = 'result_entry_overdue_raised'")[0][0])
        if pending == 0 and ran >= len(set(ends)):
            break
        time.sleep(2)
    log(f"quiet after {time.time() - t:.0f}s (envelopes not handled: {pending})")
    rows, dl, proj_dl, findings, kinds = check(phases)
    lag = psql_retry(f"select p.name, p.last_seq_id, (select max(seq_id) from {SCHEMA}.mt_events) from {SCHEMA}.mt_event_progression p order by 1")
    total_cmds = len(COMMANDS)
    head = ("| fault kind | injections | sent | acked | lost | duplicated | dead-lettered (failed during) | deadline messages ran once | "
            "recovery: first ok after fault (median / max s) | dead node's work ran elsewhere after (median / max s; envelopes held) | 500s / 503s / net errors (attempts) |")
    lines = [head, "|" + " --- |" * 11]
    for r in rows:
        moved = "–"
        if r["held"]:
            moved = f"{fmt_s(r['moved'])} ({'+'.join(str(h) for h in r['held'])} held)"
            if any(m is None for m, h in zip(r["moved"], r["held"]) if h):
                moved += ", some NOT within 240 s"
        lines.append(f"| {r['kind']} | {r['injections']} | {r['sent']} | {r['acked']} | {r['lost']} | {r['dup']} | {r['dead']} | {r['sched']}"
                     f"{' (' + str(r['sched_dup']) + ' twice)' if r['sched_dup'] else ''} | {fmt_s(r['recov'])} | {moved} | {r['s500']} / {r['s503']} / {r['neterr']} |")
    tot = lambda k: sum(r[k] for r in rows)
    lines.append(f"| **all** | {tot('injections')} | {tot('sent')} | {tot('acked')} | {tot('lost')} | {tot('duplicated' if False else 'dup')} | "
                 f"{len(dl)} | {sum(int(r['sched'].split('/')[0]) for r in rows)}/{sum(int(r['sched'].split('/')[1]) for r in rows)} | | | "
                 f"{tot('s500')} / {tot('s503')} / {tot('neterr')} |")
    notes = [f"Mode {A.mode}: {INJ} injection(s) per fault kind, {A.nodes} nodes (Production, pre-generated code), {A.rate:g} commands/s offered, "
             f"{CALM:g} s of load after each fault, scheduled-job polling {A.polling_ms} ms; {started:%Y-%m-%d %H:%M} UTC, "
             f"{(time.time() - T0) / 60:.1f} min in all.",
             f"Commands: {total_cmds} sent ({THROTTLED[0]} not sent: 60 already in flight), "
             f"{sum(r['unresolved'] for r in rows)} without a definitive answer after {GIVE_UP_S} s, "
             f"rejected (final 4xx): {dict(sum((collections.Counter(r['rejected']) for r in rows), collections.Counter()))}, "
             f"not acknowledged but committed: {sum(r['unacked_committed'] for r in rows)}.",
             f"Dead letters: {len(dl)} in wolverine_dead_letters, {proj_dl} projection dead letters (mt_doc_deadletterevent).",
             f"Offered {A.rate:g}/s, sent {total_cmds / max(1, LOAD_S[0]):.1f}/s over {LOAD_S[0] / 60:.1f} min of load."]
    if lag:
        notes.append("Async projections (last sequence / highest event): " + ", ".join(f"{n} {s}/{m}" for n, s, m in lag) + ".")
    causes = server_errors()
    if causes:
        notes.append("Causes of the 500s, from the nodes' logs: " + "; ".join(f"{n}× {p}: {e}" for (p, e), n in causes.most_common(8)) + ".")
    if dl:
        notes.append("Dead-lettered: " + "; ".join(f"{m} at {f} ({e}: {x})" for _, m, e, x, f in dl[:10]))
    klines = ["| command | sent | acknowledged | of which retried | final 4xx | no answer | ack latency median / p95 (s) | non-2xx answers to attempts (0 = no HTTP answer) |",
              "|" + " --- |" * 8]
    for k in kinds:
        klines.append(f"| {k['kind']} | {k['sent']} | {k['acked']} | {k['retried']} | {k['rejected'] or 0} | {k['unresolved']} | {k['lat']} | {k['statuses'] or '–'} |")
    text = "\n".join(lines) + "\n\n" + "\n".join(klines) + "\n\n" + "\n".join("- " + n for n in notes) + "\n"
    if findings:
        text += "\nFirst findings:\n" + "\n".join("- " + f for f in findings[:30]) + "\n"
    phase_log = "\n".join(f"- {p['kind']}: {json.dumps({k: v for k, v in p['info'].items()})} recovery {p['recovery']}" for p in phases[1:])
    with open(A.out, "w") as f:
        f.write(f"# Fault drill, {started:%Y-%m-%d}\n\n" + text + "\nInjections in order:\n" + phase_log + "\n")
    print(text)
    print(f"(written to {A.out})")


try:
    main()
finally:
    STOPPING.set()
    pm = postmaster_pid()          # never leave the drill cluster frozen (an interrupted freeze)
    for p in ([pm] + children_of(pm)) if pm else []:
        try:
            os.kill(p, signal.SIGCONT)
        except OSError:
            pass
    for n in NODES:
        n.stop()
    if not A.keep:
        pg_sh("stop")
    POOL.shutdown(wait=False, cancel_futures=True)
