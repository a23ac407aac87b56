"""User-facing wording of workflow refusals and of the confirmation banner, in the user's language."""

from __future__ import annotations

from collections.abc import Callable

from core import cases
from core.claims import Release

Gettext = Callable[[str], str]


def workflow_message(_: Gettext, exc: cases.WorkflowError) -> str:
    """Why the workflow refused, said for a reviewer."""
    if isinstance(exc, cases.StaleDecision):
        who = exc.changed_by or _("another user")
        when = exc.changed_at.strftime("%Y-%m-%d %H:%M") + " UTC" if exc.changed_at else ""
        return _("Case #%(id)s was changed by %(who)s %(when)s after you opened it. Nothing was saved: "
                 "look at the case again and decide anew.") % {"id": exc.case_id, "who": who, "when": when}
    if isinstance(exc, cases.FourEyesViolation):
        return _("A second, different reviewer must confirm this case.")
    if isinstance(exc, cases.ClaimConflict):
        return _("Another reviewer is working on this case.")
    if isinstance(exc, cases.Recused):
        return _("You work in the unit of the employee this case is about: another reviewer decides it "
                 "(recusal).")
    if isinstance(exc, cases.NotAllowed):
        return _("Your role may not decide cases.")
    if isinstance(exc, cases.InvalidTransition):
        return _("This action is not possible in the case's current state.")
    if isinstance(exc, cases.MissingInput):
        return {
            "reason": _("A reason is required to dismiss a case."),
            "reference": _("A reference number is required."),
            "date": _("A valid date is required."),
            "to": _("Choose where the case is forwarded (Bawaslu or BKN)."),
            "examination_on": _("The examination date is required."),
            "examination_too_early": _("Examination date: the earliest allowed is %(allowed)s (the configured "
                                       "number of working days after the summons).") % {"allowed": exc.allowed},
            "date_future": _("Date: a date in the future is not allowed; the latest allowed is %(allowed)s.")
            % {"allowed": exc.allowed},
            "date_order": _("Date: it is before the previous step; the earliest allowed is %(allowed)s.")
            % {"allowed": exc.allowed},
            "track": _("Choose the track: ethics or discipline."),
            "issuer": _("Issued by: choose Bawaslu or BKN."),
            "summary": _("Summary: the content of the recommendation is required."),
            "letter": _("Letter: only a PDF, JPEG or PNG file whose content matches its name, up to %(allowed)s.")
            % {"allowed": exc.allowed},
            "level": _("The sanction level named by the PPK is required."),
            "marks": _("Mark every incident of this review proven or not proven."),
            "version": _("The form did not say which version of the case it was made on; reload the case."),
            "verdict": _("Choose a verdict on the target: not campaign content, or campaign content."),
        }.get(exc.key, _("Some required input is missing."))
    return _("The action was refused.")


def done_message(_: Gettext, done: str | None) -> str | None:
    """The banner shown after a decision was saved."""
    if not done:
        return None
    return {
        "claimed": _("You now hold this case."),
        "released": _("The case is back in the queue."),
        "released_for_other": _("You released another reviewer's claim (recorded in the history); the case "
                                "is back in the queue."),
        "not_held": _("Nobody held this case; nothing changed."),
        "in_triage": _("Marks saved; incidents still wait for a look."),
        "verdict_not_campaign": _("Verdict saved: every open incident on this target is closed as not proven."),
        "verdict_campaign": _("Verdict saved: incidents on this target rise in the queue; nothing is confirmed."),
        "awaiting_second": _("First look saved; a second reviewer must give the second look."),
        "confirmed": _("Confirmed by two reviewers."),
        "dismissed": _("Case dismissed."),
        "escalated": _("Case escalated."),
        "bulk": _("Selected cases dismissed."),
        "forward": _("Forwarding recorded."),
        "recommendation": _("Recommendation recorded."),
        "forward_again": _("Further forwarding recorded."),
        "bkn_to_ppk": _("BKN forwarding to the PPK recorded."),
        "report": _("Examination report (LHP) recorded."),
        "summon": _("Summons recorded."),
        "examine": _("Examination recorded."),
        "decide": _("Decision recorded."),
        "close": _("Case closed."),
        "desk_case": _("The case is in the evaluation report's annex."),
        "reported": _("Report stored with its screenshots and OCR text; this case was opened for it."),
    }.get(done, _("Saved."))


def decided_message(_: Gettext, done: str | None, number: str) -> str | None:
    """The banner on the next case after "Simpan & lanjut": which case was decided and how, by its number
    (never the person, so it holds while the decided case is still blind)."""
    if not done:
        return None
    text = {
        "confirmed": _("Case %(number)s confirmed by two reviewers."),
        "awaiting_second": _("Case %(number)s: first look saved; a second reviewer must give the second look."),
        "in_triage": _("Case %(number)s: marks saved; incidents still wait for a look."),
        "dismissed": _("Case %(number)s not continued (dismissed)."),
        "escalated": _("Case %(number)s escalated."),
    }.get(done, _("Case %(number)s: decision saved."))
    return text % {"number": number}


def claim_refusal(_: Gettext, result: Release) -> str:
    """Why a release changed nothing: who holds the case and until when (only they or an admin may release)."""
    until = result.until.strftime("%Y-%m-%d %H:%M") + " UTC" if result.until else "?"
    return str(_("%(holder)s holds this case until %(until)s; only they or an administrator can release "
                 "the claim. Nothing changed.") % {"holder": result.holder or "?", "until": until})


def status_label(_: Gettext, status: str) -> str:
    """A case status in words."""
    return {
        "detected": _("detected"),
        "in_triage": _("in triage"),
        "awaiting_second": _("awaiting second confirmation"),
        "confirmed": _("confirmed"),
        "dismissed": _("dismissed"),
        "forwarded": _("forwarded"),
        "recommendation_received": _("recommendation received"),
        "summoned": _("summoned"),
        "examination": _("examination"),
        "decided": _("decided"),
        "closed": _("closed"),
    }.get(status, status)


def step_label(_: Gettext, step: str) -> str:
    """A due-process step (a button) in words."""
    return {
        "forward": _("Forward to Bawaslu/BKN"),
        "recommendation": _("Record recommendation"),
        "summon": _("Record summons"),
        "examine": _("Record examination (BAP)"),
        "decide": _("Record decision (SK)"),
        "close": _("Close case"),
        "forward_addendum": _("Forward the supplementary incidents (addendum)"),
        "forward_again": _("Forward again (to Bawaslu or BKN)"),
        "bkn_to_ppk": _("Record BKN forwarding to the PPK"),
        "report": _("Record examination report (LHP)"),
    }.get(step, step)


def action_label(_: Gettext, action: str) -> str:
    """A history entry's action in words."""
    return {
        "detected": _("detected by the scan"),
        "triage": _("triage started"),
        "confirm_first": _("first confirmation"),
        "confirm_second": _("second confirmation"),
        "judge": _("incidents judged"),
        "reopen": _("back to triage"),
        "supplement_first": _("first look at supplementary incidents"),
        "supplement_confirmed": _("supplementary incidents confirmed"),
        "supplement_judged": _("supplementary incidents judged"),
        "target_verdict": _("verdict on the target"),
        "forward_addendum": _("addendum forwarded"),
        "incident_added": _("incident added"),
        "interaction_attached": _("interaction attached"),
        "merged": _("formed from earlier cases"),
        "dismiss": _("dismissed"),
        "escalate": _("escalated"),
        "forward": _("forwarded"),
        "forward_again": _("forwarded again"),
        "bkn_to_ppk": _("BKN forwarded to the PPK"),
        "report": _("examination report (LHP)"),
        "recommendation": _("recommendation received"),
        "summon": _("summons"),
        "examine": _("examination"),
        "decide": _("decision"),
        "close": _("closed"),
        "claim_release": _("another reviewer's claim released by an administrator"),
    }.get(action, action)


def deadline_label(_: Gettext, kind: str | None) -> str:
    """What an open deadline is for."""
    return {
        "forward": _("forward to Bawaslu/BKN"),
        "examination": _("examination"),
        "handover": _("hand over the SK"),
    }.get(kind or "", kind or "")


def term_label(_: Gettext, value: str | None) -> str:
    """Roles, interaction kinds, stances and sanction levels stored as English codes, in words."""
    if not value:
        return "–"
    return {
        "admin": _("administrator"),
        "reviewer": _("reviewer (BKPSDM)"),
        "desk": _("Desk Pilkada"),
        "auditor": _("auditor"),
        "post": _("post"),
        "share": _("share"),
        "quote": _("quote"),
        "comment": _("comment"),
        "like": _("like"),
        "follow": _("follow"),
        "report": _("report"),
        "support": _("support"),
        "oppose": _("oppose"),
        "none": _("none"),
        "moral": _("moral sanction"),
        "light": _("light discipline"),
        "medium": _("medium discipline"),
        "medium_or_heavy": _("medium or heavy discipline"),
        "heavy": _("heavy discipline"),
        "dismissal": _("dismissal (PTDH)"),
        "ethics": _("ethics"),
        "discipline": _("discipline"),
        "PNS": _("PNS (civil servant)"),
        "PPPK": _("PPPK (government employee with a work agreement)"),
        "NON_ASN": _("contract staff (tenaga kontrak, non-ASN)"),
        "proven": _("proven"),
        "not_proven": _("not proven"),
        "pilgub": _("governor"),
        "pilbup": _("regent"),
        "pilwalkot": _("mayor"),
    }.get(value, value)


def count_label(_: Gettext, key: str) -> str:
    """A post's count on its platform (likes, shares...), in words."""
    return {"likes": _("likes"), "shares": _("shares"), "replies": _("replies"), "quotes": _("quotes"),
            "views": _("views")}.get(key, key)


def url_status_label(_: Gettext, status: str | None) -> str:
    """Whether a reported URL could be fetched and archived."""
    return {"fetched": _("fetched and archived"), "unreachable": _("could not be fetched"),
            "none": _("no link")}.get(status or "none", status or "")


def audit_action_label(_: Gettext, action: str) -> str:
    """An audit event's action id (``case.view``) in words; case actions reuse the history wording."""
    known = {
        "audit.view": _("audit log viewed"),
        "audit.export": _("audit log exported"),
        "case.view": _("case viewed"),
        "case.claim": _("case claimed"),
        "case.release": _("case released"),
        "decisions.export": _("decisions exported"),
        "election.import": _("election imported"),
        "evidence.download": _("evidence downloaded"),
        "evidence.download_refused": _("evidence download refused"),
        "model.promoted": _("model promoted"),
        "model.rejected": _("model rejected"),
        "report.add": _("report received"),
        "retention.purge": _("retention purge"),
        "roster.import": _("roster imported"),
        "subject.export": _("data-subject export"),
        "user.add": _("account added"),
        "user.deactivate": _("account deactivated"),
        "user.login": _("login"),
        "user.login_failed": _("failed login"),
        "user.login_throttled": _("login throttled (wait imposed)"),
        "user.login_refused": _("login refused during a wait"),
        "user.logout": _("logout"),
        "user.unlock": _("login throttle cleared"),
        "user.password_reset": _("password reset"),
        "user.reactivate": _("account reactivated"),
        "user.role": _("role changed"),
        "dashboard.export": _("dashboard exported"),
        "violation.edit": _("violation code text edited"),
    }
    if action in known:
        return known[action]
    if action.startswith("case."):
        return _("case: %(what)s") % {"what": action_label(_, action[5:])}
    return action


def object_type_label(_: Gettext, kind: str | None) -> str:
    """An audit event's object type in words."""
    if not kind:
        return ""
    return {"case": _("case"), "user": _("account"), "evidence": _("evidence"), "report": _("report"),
            "employee": _("employee"), "audit_log": _("audit log"), "election": _("election"),
            "model": _("model"), "roster": _("roster"), "decisions": _("decisions"),
            "violation": _("violation code"), "dashboard": _("Dashboard")}.get(kind, kind)


def dashboard_label(_: Gettext, key: str) -> str:
    """Dashboard status groups, dimensions and column names in words."""
    return {
        "lead": _("leads (not yet reviewed)"), "in_process": _("in process"),
        "confirmed": _("confirmed violations"), "dismissed": _("not continued"), "closed": _("closed"),
        "group": _("status group"), "code": _("violation code"), "platform": _("platform"),
        "contest": _("contest"), "unit": _("unit"),
        "week": _("week of detection"), "dimension": _("dimension"), "key": _("value"), "total": _("total"),
    }.get(key, key)


def history_details(_: Gettext, data: dict[str, object] | None) -> list[str]:
    """A history entry's data (``codes=[...]``, ``reference=…``, ``to=bawaslu``) as labelled Indonesian text."""
    out: list[str] = []
    for key, value in (data or {}).items():
        if value is None or key in ("first_confirmed_by_id", "marks"):
            continue
        if key == "codes":
            codes = ", ".join(str(c) for c in value) if isinstance(value, list) else str(value)
            out.append(_("codes: %(v)s") % {"v": codes or "–"})
        elif key == "reference":
            out.append(_("letter number: %(v)s") % {"v": value})
        elif key == "on":
            out.append(_("dated: %(v)s") % {"v": value})
        elif key == "to":
            out.append(_("to: %(v)s") % {"v": {"bawaslu": "Bawaslu", "bkn": "BKN"}.get(str(value), value)})
        elif key == "examination_on":
            out.append(_("examination on: %(v)s") % {"v": value})
        elif key == "summons":
            out.append(_("summons no. %(v)s") % {"v": value})
        elif key == "track":
            out.append(_("track: %(v)s") % {"v": term_label(_, str(value))})
        elif key == "level":
            out.append(_("sanction named by the PPK (Pejabat Pembina Kepegawaian): %(v)s") % {"v": value})
        elif key == "issuer":
            out.append(_("issued by: %(v)s") % {"v": {"bawaslu": "Bawaslu", "bkn": "BKN"}.get(str(value), value)})
        elif key == "summary":
            out.append(_("summary: %(v)s") % {"v": value})
        elif key == "letter" and isinstance(value, dict):
            out.append(_("letter file: %(name)s (SHA-256 %(sha)s)") % {"name": value.get("filename"),
                                                                     "sha": value.get("sha256")})
        elif key == "interaction_id":
            out.append(_("interaction #%(v)s") % {"v": value})
        elif key == "model_version":
            out.append(_("model: %(v)s") % {"v": value})
        else:
            out.append(f"{key}: {value}")
    return out
