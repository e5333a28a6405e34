#!/usr/bin/env python3
"""Writes the example scenarios (authoring aid; the build only reads the .jsonl files).

Workspace ids are deterministic (derived from the create command's id, which derives from the
template event that triggered it), so scenarios that answer creates use the ids the topology chose
for the same first event; they are listed in WORKSPACES below (see pool-fill.expected.jsonl).
"""
import json
import os
import subprocess

T, ORG, SYS = "tpl-python", "org-acme", "c42fdf75-3097-471c-8c33-fb52454d81c0"
START = "2025-06-02T08:00:00Z"
# The two creates the topology issues for preset-small after pool-fill's first event.
WORKSPACES = [("f2c514fe-f776-8e3a-9a92-898ce3b8e0dc", "29faafab-2a0f-838a-9243-195dfc05a45a"),
              ("6bfa0fcd-0ee2-8a66-a611-7f1a2ce7176d", "18c71e17-8f1d-8802-bbac-56c790c88d11")]
# The three creates for preset-broken (desired 3) after hard-limit's first event.
BROKEN = [("fdd53f34-6c92-8d4b-9d37-e6a56bf2282c", "1a7d20a0-dc41-8663-87ba-af9b6a5baa75"),
          ("03fd2d28-d71b-8f55-80d7-6bcd98e2daa4", "2dd166ba-0946-8047-8cd1-f605a4c251d2"),
          ("6dde88c9-57e1-85c4-aec8-368b95062e90", "21244817-dc5c-81a3-82f8-8c2b3cd533c0")]
# Both were created at 08:00, so the claim takes the one first in workspace-id order.
CLAIMED = min(ws for ws, _ in WORKSPACES)
seq = [0]


def env(typ, subject, data, time, source="/coderd/demo"):
    seq[0] += 1
    return {"specversion": "1.0", "id": f"evt-{seq[0]:04d}", "type": typ, "source": source,
            "time": time, "subject": subject, "datacontenttype": "application/json", "data": data}


def template(active, versions, time, deprecated=False, deleted=False):
    return {"topic": "prebuilds.templates.v1", "key": T, "value": env(
        "prebuilds.template.snapshot.v1", T, {
            "templateId": T, "templateName": "python-dev", "organizationId": ORG,
            "organizationName": "acme",
            "admins": [{"userId": "u-admin", "username": "platform-admin"}],
            "deprecated": deprecated, "deleted": deleted, "activeVersionId": active,
            "lifecycleDefaults": {"defaultTtlSeconds": 28800, "autostartSchedule": "30 8 * * 1-5"},
            "versions": versions, "snapshotAt": time}, time)}


def version(v, presets):
    return {"templateVersionId": v, "versionName": v, "presets": presets}


def preset(pid, desired, tz=None, schedules=None, ttl=None):
    p = {"presetId": pid, "presetName": pid.replace("preset-", ""), "desiredInstances": desired,
         "schedules": schedules or []}
    if tz:
        p["schedulingTimezone"] = tz
    if ttl:
        p["ttlSeconds"] = ttl
    return p


def build(pid, ws, n, ver, time, transition="start", status="succeeded", cmd=None, initiator=SYS):
    d = {"presetId": pid, "workspaceId": ws, "buildId": f"{ws}-b{n}", "buildNumber": n,
         "templateId": T, "templateVersionId": ver, "organizationId": ORG,
         "transition": transition, "status": status, "initiator": initiator, "completedAt": time}
    if cmd:
        d["commandId"] = cmd
    if status == "failed":
        d["failureKind"] = "transient"
    return {"topic": "prebuilds.builds.v1", "key": pid,
            "value": env("prebuilds.build.completed.v1", pid, d, time, "/provisioners/demo")}


def agents(pid, ws, n, time):
    return {"topic": "prebuilds.builds.v1", "key": pid, "value": env(
        "prebuilds.agent.status-changed.v1", pid,
        {"presetId": pid, "workspaceId": ws, "buildNumber": n, "allAgentsReady": True,
         "observedAt": time}, time, "/provisioners/demo")}


def claim(pid, cid, user, time, deadline):
    return {"topic": "prebuilds.claims.v1", "key": pid, "value": env(
        "prebuilds.claim.requested.v1", pid,
        {"claimId": cid, "presetId": pid, "organizationId": ORG, "userId": user,
         "username": user, "workspaceName": user + "-ws", "requestedAt": time,
         "deadline": deadline}, time)}


def settings(paused, time):
    return {"topic": "prebuilds.settings.v1", "key": "global", "value": env(
        "prebuilds.settings.global.v1", "global",
        {"reconciliationPaused": paused, "updatedBy": "ops", "updatedAt": time}, time)}


def inventory(pid, time, workspaces):
    return {"topic": "prebuilds.inventory.v1", "key": pid, "value": env(
        "prebuilds.inventory.snapshot.v1", pid,
        {"presetId": pid, "providerId": "provider-demo", "observedAt": time,
         "workspaces": [{"workspaceId": ws, "buildNumber": n, "templateVersionId": "v1",
                         "state": "running", "agentsReady": True, "ownerIsPrebuildsUser": True}
                        for ws, n in workspaces]}, time, "/provisioners/demo")}


def drift(pid, ws, n, claim_id, time, replacements):
    return {"topic": "prebuilds.plan-drift.v1", "key": pid, "value": env(
        "prebuilds.plan.drift-detected.v1", pid,
        {"presetId": pid, "workspaceId": ws, "buildId": f"{ws}-b{n}", "buildNumber": n,
         "claimId": claim_id, "detectedAt": time,
         "replacements": [{"resource": r, "paths": p} for r, p in replacements]},
        time, "/provisioners/demo")}


def adv(d):
    return {"advance": d}


def fill(time, ttl=None):
    """pool-fill's first event (same id, so the same workspace ids), answered by a worker."""
    lines = [template("v1", [version("v1", [preset("preset-small", 2, ttl=ttl)])], START), adv("PT2M")]
    for ws, cmd in WORKSPACES:
        lines += [build("preset-small", ws, 1, "v1", time, cmd=cmd), agents("preset-small", ws, 1, time)]
    return lines


def write(name, comment, lines):
    """Writes one scenario; `lines` is called after the event counter is reset."""
    seq[0] = 0
    rendered = lines()
    with open(name, "w") as f:
        for c in comment:
            f.write("# " + c + "\n")
        for l in rendered:
            f.write(json.dumps(l, separators=(",", ":")) + "\n")


write("pool-fill.jsonl",
      ["A template with one preset that wants 2 prebuilds: the reconciler issues two creates."],
      lambda: [template("v1", [version("v1", [preset("preset-small", 2)])], START), adv("PT1M")])
write("claim-and-backfill.jsonl",
      ["The pool of 2 fills; alice claims one: claimed result, claim command (initiator alice) and",
       "a backfill create; when alice's claim build succeeds the agent is reinitialized once;",
       "a duplicate claim id gets the first answer again and nothing else."],
      lambda: fill("2025-06-02T08:02:00Z") + [
          claim("preset-small", "claim-1", "alice", "2025-06-02T08:02:00Z", "2025-06-02T08:02:10Z"),
          adv("PT1M"),
          build("preset-small", CLAIMED, 2, "v1", "2025-06-02T08:03:00Z", initiator="alice"),
          claim("preset-small", "claim-1", "alice", "2025-06-02T08:03:00Z", "2025-06-02T08:03:10Z"),
          claim("preset-small", "claim-2", "bob", "2025-06-02T08:03:00Z", "2025-06-02T08:02:59Z"),
          adv("PT1M")])
write("version-rollover.jsonl",
      ["Version v2 becomes active: v1's preset drains (each delete names v1, the version its",
       "prebuild was built from) and v2's preset fills."],
      lambda: fill("2025-06-02T08:02:00Z") + [
          template("v2", [version("v1", [preset("preset-small", 2)]),
                          version("v2", [preset("preset-small-v2", 2)])], "2025-06-02T08:05:00Z"),
          adv("PT1M")])
write("ttl-expiry.jsonl",
      ["Prebuilds live at most one hour (ttlSeconds 3600): at 09:00 both expire, are deleted",
       "(reason expired) and replaced."],
      lambda: fill("2025-06-02T08:02:00Z", ttl=3600) + [adv("PT1H5M")])
write("schedule-switch.jsonl",
      ["A preset keeps 1 prebuild outside office hours and 3 on weekdays 09:00-18:59 Europe/Berlin.",
       "The clock starts Monday 08:00 UTC (10:00 Berlin, inside the schedule) and runs to 17:05 UTC",
       "(19:05 Berlin): the count drops at 17:00 UTC exactly."],
      lambda: [template("v1", [version("v1", [preset(
          "preset-office", 1, "Europe/Berlin",
          [{"cron": "* 9-18 * * 1-5", "desiredInstances": 3}])])], START), adv("PT9H5M")])

write("hard-limit.jsonl",
      ["preset-broken wants 3 prebuilds and every build fails: after the third failed create the",
       "preset is hard_limited, creates stop, and the template admins get ONE notification; two",
       "hours later nothing more has been created or sent."],
      lambda: [template("v1", [version("v1", [preset("preset-broken", 3)])], START), adv("PT1M")]
      + [build("preset-broken", ws, 1, "v1", "2025-06-02T08:01:00Z", status="failed", cmd=cmd)
         for ws, cmd in BROKEN]
      + [adv("PT2H")])
write("plan-drift.jsonl",
      ["alice's claim build replaced resources: the replacement counter goes up once and the",
       "template admins are notified with the resources and paths (coder_* resources ignored);",
       "the same drift reported again changes nothing."],
      lambda: fill("2025-06-02T08:02:00Z") + [
          claim("preset-small", "claim-1", "alice", "2025-06-02T08:02:00Z", "2025-06-02T08:02:10Z"),
          adv("PT1M"),
          build("preset-small", CLAIMED, 2, "v1", "2025-06-02T08:03:00Z", initiator="alice"),
          drift("preset-small", CLAIMED, 2, "claim-1", "2025-06-02T08:03:00Z",
                [("aws_instance.dev", ["ami", "root_block_device.0.volume_size"]),
                 ("coder_agent.main", ["env"])]),
          drift("preset-small", CLAIMED, 2, "claim-1", "2025-06-02T08:03:00Z",
                [("aws_instance.dev", ["ami", "root_block_device.0.volume_size"])]),
          adv("PT1M")])
write("pause-resume.jsonl",
      ["Reconciliation is paused before the template arrives: no creates while paused, a claim is",
       "still answered (none eligible); on resume the pool fills at the next tick."],
      lambda: [settings(True, START),
               template("v1", [version("v1", [preset("preset-small", 2)])], START),
               adv("PT5M"),
               claim("preset-small", "claim-1", "alice", "2025-06-02T08:05:00Z", "2025-06-02T08:05:10Z"),
               settings(False, "2025-06-02T08:05:00Z"),
               adv("PT5S")])
write("inventory-drift.jsonl",
      ["The provider's inventory disagrees with us: both of our prebuilds are gone and an unknown",
       "running prebuild exists. State follows the provider: the phantoms are forgotten, the",
       "unknown one adopted, and one create tops the pool up to 2."],
      lambda: fill("2025-06-02T08:02:00Z") + [
          adv("PT3M"),
          inventory("preset-small", "2025-06-02T08:05:00Z",
                    [("ws-unknown-7", 1)]),
          adv("PT1M")])


def simulate(lines):
    """Runs lines through ./prebuilds simulate and returns the output records."""
    path = "/tmp/prebuilds-authoring.jsonl"
    with open(path, "w") as f:
        for l in lines:
            f.write(json.dumps(l, separators=(",", ":")) + "\n")
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    out = subprocess.run([os.path.join(root, "prebuilds"), "simulate", path],
                         capture_output=True, text=True, check=True)
    return [json.loads(l) for l in out.stdout.splitlines() if l.startswith("{")]


def answered_until_idle(lines, then):
    """A worker in the loop: answers every create/delete the topology dispatched, one minute
    later, until nothing is left unanswered; `then` (once) adds the next event when idle."""
    answered, minute, pending_then = set(), 0, [then]
    while True:
        kinds = ("prebuilds.command.create-prebuild.v1", "prebuilds.command.delete-prebuild.v1")
        todo = [r["value"]["data"] for r in simulate(lines) if r["topic"] == "prebuilds.commands.v1"
                and r["value"] and r["value"]["type"] in kinds
                and r["value"]["data"]["commandId"] not in answered]
        minute += 1
        at = f"2025-06-02T08:{minute:02d}:00Z"
        if not todo:
            if not pending_then:
                return lines + [adv("PT1M")]
            lines = lines + [adv("PT1M"), pending_then.pop()(at)]
            continue
        lines = lines + [adv("PT1M")]
        for c in todo:
            answered.add(c["commandId"])
            create = "workspaceName" in c
            lines.append(build(c["presetId"], c["workspaceId"], 1 if create else 2,
                               c["templateVersionId"], at, cmd=c["commandId"],
                               transition="start" if create else "delete"))


write("rollover-under-budget.jsonl",
      ["The admission budget is 2 (a settings line, before every other step). preset-old fills",
       "to 3 two at a time: the third create waits until a build completes. Then v2 becomes",
       "active: preset-old's 3 deletes and preset-new's 3 creates share the budget, deletes first,",
       "and never more than 2 are on the command topic unanswered."],
      lambda: answered_until_idle(
          [{"settings": {"prebuilds.admission.budget": 2}},
           template("v1", [version("v1", [preset("preset-old", 3)])], START)],
          lambda at: template("v2", [version("v1", [preset("preset-old", 3)]),
                                     version("v2", [preset("preset-new", 3)])], at)))
write("cap-sharing.jsonl",
      ["The organization's capacity cap is 6 (a settings line). preset-a and preset-b want 5 each:",
       "at the admission stage's next tick they get 3 each (the explanation says 'desired 5",
       "trimmed to 3: organization cap 6 shared by 2 presets'). When preset-c (5) joins, the cap",
       "is shared by three: preset-a and preset-b each delete their oldest prebuild (extraneous)",
       "and preset-c creates 2, so the organization holds 6."],
      lambda: answered_until_idle(
          [{"settings": {"prebuilds.capacity.caps": ORG + "=6"}},
           template("v1", [version("v1", [preset("preset-a", 5), preset("preset-b", 5)])], START),
           adv("PT1S")],
          lambda at: template("v1", [version("v1", [preset("preset-a", 5), preset("preset-b", 5),
                                                    preset("preset-c", 5)])], at)))
