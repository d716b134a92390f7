#!/usr/bin/env python3
"""Tampering checks for tools/verify_draw.py on supervision-draw/2 records (docs/draw-algorithm.md).

Records are read from the directory named by DRAW_V2_RECORDS (default /work/v2records), files record-*.json.
Each tampering must fail with the failure name section 10 gives it. Where a rule sits behind the hashes, the test
recomputes the commitment (section 3) and the acts chain (section 9) so that only that rule can fail.

    python3 tools/test_verify_draw_v2.py            or            python3 -m unittest tools/test_verify_draw_v2.py
"""
import contextlib
import copy
import datetime
import glob
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import verify_draw  # noqa: E402

RECORDS_DIR = os.environ.get("DRAW_V2_RECORDS", "/work/v2records")
FILES = ("parameters", "targets", "exclusions", "inspectors", "conflicts", "quotas", "sources")


def load_records(limit=80):
    paths = sorted(glob.glob(os.path.join(RECORDS_DIR, "record-*.json")))[:limit]
    records = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            records.append((os.path.basename(path), json.load(fh)))
    return records


RECORDS = load_records() if os.path.isdir(RECORDS_DIR) else []


def sha(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def recommit(record):
    """Section 3: rebuild the commitment from the files (keeping the two contribution lines) and its hash."""
    lines = record["commitment"].split("\n")
    text = f"supervision-draw/2\ndraw|{record['drawId']}\n" + "".join(f"{n}|{sha(record['files'][n])}\n" for n in FILES)
    record["commitment"] = text + lines[9] + "\n" + lines[10] + "\n"
    record["commitmentSha256"] = sha(record["commitment"])
    rechain(record)


def rechain(record):
    """Section 9: renumber the acts from 1 and recompute the record hash."""
    acts = []
    for n, line in enumerate(record["acts"], 1):
        f = line.split("|")
        f[1] = str(n)
        acts.append("|".join(f))
    record["acts"] = acts
    h = record["commitmentSha256"]
    for line in acts:
        h = sha(h + line + "\n")
    record["recordSha256"] = h


def redraw(record):
    """Recompute the outputs with the verifier's own sections 5, 6 and 8 (the replacement acts are dropped), put
    their hashes in the draw act and rechain: a record consistent in everything but what a test then breaks."""
    v = verify_draw
    record["acts"] = [a for a in record["acts"] if act_kind(a) not in ("inspector", "target", "void")]
    rechain(record)
    rows = {n: v.check_canonical(n, record["files"][n], v.FILE_FORMS[n]) for n in v.FILES_2}
    params = v.Parameters2(rows["parameters"], record["drawId"])
    strata = v.check_targets2(rows["targets"], params)
    sources = v.check_sources2(rows["sources"])
    quotas = v.check_quotas2(params, strata, record["files"]["quotas"])
    acts = v.parse_acts(record["acts"])
    randomness, _, _ = v.check_act_rules(acts, sources)
    contributions = v.check_values(acts, v.check_commitment2(record["drawId"], record["files"], record["commitment"]))
    keys = v.Keys2(record["commitment"], v.randomness_text(randomness, contributions))
    engine = v.Draw2(keys, params, strata, quotas, rows["inspectors"], rows["conflicts"])
    record["outputs"] = {"targets": engine.targets_text, "teams": engine.draw_teams(),
                         "batches": engine.batches_text(), "replacements": ""}
    i = next(n for n, a in enumerate(record["acts"]) if act_kind(a) == "draw")
    f = record["acts"][i].split("|")
    f[5:8] = [sha(record["outputs"][n]) for n in ("targets", "teams", "batches")]
    record["acts"][i] = "|".join(f)
    rechain(record)


def act_kind(line):
    return line.split("|")[4]


def run(record, expect=None, raw=None):
    """Run the verifier in process on a record (or raw bytes); expect is (commitment, record) or None.
    Returns (exit code, stdout, stderr)."""
    with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as fh:
        fh.write(raw if raw is not None else json.dumps(record, ensure_ascii=False).encode("utf-8"))
        path = fh.name
    try:
        args = [path]
        if expect:
            args += ["--expect-commitment", expect[0], "--expect-record", expect[1]]
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = verify_draw.main(args)
        return code, out.getvalue(), err.getvalue()
    finally:
        os.unlink(path)


def part_of(stdout):
    assert stdout.startswith("MISMATCH: "), stdout
    return stdout[len("MISMATCH: "):].split(":", 1)[0]


def published(record):
    return record["commitmentSha256"], record["recordSha256"]


def find(predicate):
    for name, record in RECORDS:
        if predicate(record):
            return name, copy.deepcopy(record)
    raise unittest.SkipTest("no record in %s has the feature this test needs" % RECORDS_DIR)


def has_act(kind):
    return lambda r: any(act_kind(a) == kind for a in r["acts"])


@unittest.skipUnless(RECORDS, f"no supervision-draw/2 records in {RECORDS_DIR} (set DRAW_V2_RECORDS)")
class TamperingTests(unittest.TestCase):

    def assertFails(self, record, part, expect=None):
        code, out, err = run(record, expect)
        self.assertEqual(code, 1, out + err)
        self.assertEqual(part_of(out), part, out)
        return out

    def assertFailsIn(self, record, prefix, expect=None):
        code, out, err = run(record, expect)
        self.assertEqual(code, 1, out + err)
        self.assertTrue(part_of(out).startswith(prefix), out)

    # the untouched records

    def test_records_match_with_and_without_published_hashes(self):
        for name, record in RECORDS[:12]:
            with self.subTest(record=name):
                code, out, _ = run(record, published(record))
                self.assertEqual((code, out), (0, "MATCH\n"))
                code, out, _ = run(record)
                self.assertEqual(code, 0)
                self.assertTrue(out.startswith("MATCH (consistent, but not checked against published hashes"), out)

    def test_command_line(self):
        name, record = RECORDS[0]
        path = os.path.join(RECORDS_DIR, name)
        script = os.path.join(HERE, "verify_draw.py")
        done = subprocess.run([sys.executable, script, path, "--expect-commitment", record["commitmentSha256"],
                               "--expect-record", record["recordSha256"]], capture_output=True, text=True)
        self.assertEqual((done.returncode, done.stdout), (0, "MATCH\n"), done.stderr)
        done = subprocess.run([sys.executable, script, path, "--expect-commitment", "0" * 64],
                              capture_output=True, text=True)
        self.assertEqual(done.returncode, 1)
        self.assertTrue(done.stdout.startswith("MISMATCH: expect.commitment: "), done.stdout)

    # section 9 and 10: the published hashes

    def test_randomness_value_changed_and_chain_recomputed(self):
        name, record = find(lambda r: r["outputs"]["targets"] != "")
        expect = published(record)
        i = next(n for n, a in enumerate(record["acts"]) if act_kind(a) == "randomness")
        f = record["acts"][i].split("|")
        f[6] = f[6] + " 7"  # still a canonical value
        record["acts"][i] = "|".join(f)
        rechain(record)
        self.assertFails(record, "expect.record", expect)
        # without the published hashes the record is consistent in itself, but its outputs no longer replay
        self.assertFailsIn(record, "outputs.")

    def test_recusal_dropped(self):
        name, record = find(has_act("inspector"))
        expect = published(record)
        i = next(n for n, a in enumerate(record["acts"]) if act_kind(a) == "inspector")
        plain = copy.deepcopy(record)
        del plain["acts"][i]
        self.assertFails(plain, "acts" if i < len(record["acts"]) - 1 else "recordSha256")
        del record["acts"][i]
        rechain(record)
        self.assertFails(record, "expect.record", expect)
        self.assertFails(record, "outputs.replacements")

    def test_expect_commitment(self):
        name, record = RECORDS[0]
        self.assertFails(record, "expect.commitment", ("f" * 64, record["recordSha256"]))

    # section 2: canonical files

    def test_targets_lines_reordered(self):
        name, record = find(lambda r: r["files"]["targets"].count("\n") >= 2)
        lines = record["files"]["targets"].split("\n")[:-1]
        lines[0], lines[1] = lines[1], lines[0]
        record["files"]["targets"] = "\n".join(lines) + "\n"
        self.assertFails(record, "canonical.targets")

    def test_non_nfc_character(self):
        name, record = find(lambda r: r["files"]["exclusions"] != "")
        record["files"]["exclusions"] = record["files"]["exclusions"].replace("\n", "Cafe\u0301\n", 1)
        self.assertFails(record, "canonical.exclusions")

    def test_lowercase_escape(self):
        name, record = find(lambda r: "%7C" in r["files"]["sources"])
        record["files"]["sources"] = record["files"]["sources"].replace("%7C", "%7c", 1)
        self.assertFails(record, "canonical.sources")

    def test_stray_percent(self):
        name, record = RECORDS[0]
        record = copy.deepcopy(record)
        lines = record["files"]["parameters"].split("\n")
        j = next(n for n, line in enumerate(lines) if line.startswith("P|task|"))
        lines[j] += "%"
        record["files"]["parameters"] = "\n".join(lines)
        self.assertFails(record, "canonical.parameters")

    def test_carriage_return(self):
        name, record = RECORDS[0]
        record = copy.deepcopy(record)
        record["files"]["inspectors"] = record["files"]["inspectors"].replace("\n", "\r\n")
        self.assertFails(record, "canonical.inspectors")

    def test_duplicate_line(self):
        name, record = find(lambda r: r["files"]["conflicts"] != "")
        first = record["files"]["conflicts"].split("\n")[0]
        record["files"]["conflicts"] = first + "\n" + record["files"]["conflicts"]
        self.assertFails(record, "canonical.conflicts")

    def test_output_file_not_canonical(self):
        name, record = find(lambda r: r["outputs"]["teams"] != "")
        record["outputs"]["teams"] = record["outputs"]["teams"][:-1]  # no LF after the last line
        self.assertFails(record, "canonical.outputs.teams")

    # section 9: the acts

    def test_second_randomness_act_for_a_source(self):
        name, record = RECORDS[0]
        record = copy.deepcopy(record)
        i = next(n for n, a in enumerate(record["acts"]) if act_kind(a) == "randomness")
        record["acts"].insert(i + 1, record["acts"][i])
        rechain(record)
        self.assertFails(record, "acts")

    def test_randomness_before_its_not_before(self):
        name, record = RECORDS[0]
        record = copy.deepcopy(record)
        sources = {f[1]: f[3] for f in (line.split("|") for line in record["files"]["sources"].split("\n")[:-1])}
        i = next(n for n, a in enumerate(record["acts"]) if act_kind(a) == "randomness")
        f = record["acts"][i].split("|")
        previous_at = record["acts"][i - 1].split("|")[2]
        moment = datetime.datetime.strptime(sources[f[5]], "%Y-%m-%dT%H:%M:%SZ")
        early = (moment - datetime.timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        if early < previous_at:
            self.skipTest("no room between the previous act and the not-before")
        f[2] = early
        record["acts"][i] = "|".join(f)
        rechain(record)
        out = self.assertFails(record, "acts")
        self.assertIn("not-before", out)

    def test_wrong_discipline_contribution(self):
        name, record = find(has_act("contribution"))
        i = next(n for n, a in enumerate(record["acts"])
                 if act_kind(a) == "contribution" and a.split("|")[5] == "discipline")
        f = record["acts"][i].split("|")
        f[6] = ("0" if f[6][0] != "0" else "1") + f[6][1:]
        record["acts"][i] = "|".join(f)
        rechain(record)
        self.assertFails(record, "contribution.discipline")

    def test_void_without_countersignature_after_randomness(self):
        name, record = find(has_act("randomness"))
        last = record["acts"][-1].split("|")
        if last[4] == "void":
            last[5] = "-"
            record["acts"][-1] = "|".join(last)
        else:
            actor = "approver:" + last[3].split(":", 1)[1]
            record["acts"].append(f"A|0|{last[2]}|{actor}|void|-|见证人未到场")
        rechain(record)
        out = self.assertFails(record, "acts")
        self.assertIn("countersigner", out)

    def test_void_with_countersignature_is_accepted(self):
        name, record = find(lambda r: has_act("randomness")(r) and not has_act("void")(r))
        last = record["acts"][-1].split("|")
        # Section 9, who acts: an approver voids, a discipline inspector (another person) countersigns.
        approver = "approver:" + last[3].split(":", 1)[1]
        other = next(a.split("|")[3] for a in record["acts"] if a.split("|")[4] == "commit")
        record["acts"].append(f"A|0|{last[2]}|{approver}|void|{other}|见证人未到场")
        rechain(record)
        code, out, err = run(record)
        self.assertEqual(code, 0, out + err)

    def test_early_void_without_countersignature(self):
        name, record = RECORDS[0]
        record = copy.deepcopy(record)
        commit = record["acts"][0].split("|")
        approver = next((a.split("|")[3] for a in record["acts"] if a.split("|")[3].startswith("approver:")), "approver:" + commit[3].split(":", 1)[1])
        record["acts"] = [record["acts"][0], f"A|2|{commit[2]}|{approver}|void|-|计划有误，作废重抽"]
        record["outputs"] = {name: "" for name in record["outputs"]}
        rechain(record)
        code, out, err = run(record)
        self.assertEqual(code, 0, out + err)
        record["outputs"]["batches"] = "B|001|" + record["drawId"] + "\n"  # an output without a draw act
        self.assertFails(record, "outputs.batches")

    def test_empty_slot_under_partial_teams_0(self):
        for name, original in RECORDS:  # the first whose redrawn teams (new key) still have an empty slot
            record = copy.deepcopy(original)
            parameters = record["files"]["parameters"]
            record["files"]["parameters"] = parameters.replace("P|partial-teams|1", "P|partial-teams|0")
            if record["files"]["parameters"] == parameters or "|-|" not in record["outputs"]["teams"]:
                continue
            recommit(record)
            redraw(record)
            if "|-|" in record["outputs"]["teams"]:
                break
        else:
            self.skipTest("no record with an empty slot")
        out = self.assertFails(record, "outputs.teams")
        self.assertIn("partial-teams", out)

    # section 2.2: the targets' strata

    def test_stratum_without_sampling_line(self):
        name, record = find(lambda r: "P|sampling|class|" in r["files"]["parameters"])
        lines = record["files"]["targets"].split("\n")[:-1]
        f = lines[0].split("|")
        f[1] = "Z-no-sampling-line"
        lines[0] = "|".join(f)
        record["files"]["targets"] = "".join(line + "\n" for line in sorted(lines, key=lambda s: s.encode()))
        recommit(record)
        self.assertFails(record, "files.targets")

    def test_stratum_other_than_star_in_ratio_form(self):
        name, record = find(lambda r: "P|sampling|class|" not in r["files"]["parameters"])
        lines = record["files"]["targets"].split("\n")[:-1]
        lines[-1] = lines[-1].replace("T|*|", "T|A|", 1)
        record["files"]["targets"] = "".join(line + "\n" for line in sorted(lines, key=lambda s: s.encode()))
        recommit(record)
        self.assertFails(record, "files.targets")

    # unreadable and hostile input

    def test_unreadable(self):
        name, record = RECORDS[0]
        code, _, err = run(None, raw=b"{not json")
        self.assertEqual(code, 2)
        self.assertTrue(err.startswith("UNREADABLE: "), err)
        for member in ("acts", "files", "recordSha256", "outputs"):
            broken = copy.deepcopy(record)
            del broken[member]
            self.assertEqual(run(broken)[0], 2, member)
        broken = copy.deepcopy(record)
        broken["acts"] = "A|1"
        self.assertEqual(run(broken)[0], 2)
        broken = copy.deepcopy(record)
        broken["files"]["targets"] = None
        self.assertEqual(run(broken)[0], 2)

    def test_unpaired_surrogate(self):
        name, record = RECORDS[0]
        text = json.dumps(record, ensure_ascii=True).replace('"P|algorithm|', '"\\ud800P|algorithm|', 1)
        code, out, err = run(None, raw=text.encode("ascii"))
        self.assertEqual(code, 1, out + err)
        self.assertEqual(part_of(out), "canonical.parameters")

    def test_algorithm(self):
        name, record = RECORDS[0]
        record = copy.deepcopy(record)
        record["algorithm"] = "supervision-draw/3"
        self.assertFails(record, "algorithm")


if __name__ == "__main__":
    unittest.main()
