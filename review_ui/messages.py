"""User-facing wording of workflow refusals and of the confirmation banner, in the user's language."""

from __future__ import annotations

from collections.abc import Callable

from core import cases

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
            "examination_too_early": _("The examination must be at least the configured number of "
                                       "working days after the summons."),
            "track": _("Choose the track: ethics or discipline."),
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
        "not_released": _("You did not hold this case: another reviewer's claim stays."),
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
        "summon": _("Summons recorded."),
        "examine": _("Examination recorded."),
        "decide": _("Decision recorded."),
        "close": _("Case closed."),
    }.get(done, _("Saved."))


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
    }.get(step, step)


def action_label(_: Gettext, action: str) -> str:
    """A history entry's action in words."""
    return {
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
        "detected": _("detected"),
        "incident_added": _("incident added"),
        "interaction_attached": _("interaction attached"),
        "merged": _("formed from earlier cases"),
        "dismiss": _("dismissed"),
        "escalate": _("escalated"),
        "forward": _("forwarded"),
        "recommendation": _("recommendation received"),
        "summon": _("summons"),
        "examine": _("examination"),
        "decide": _("decision"),
        "close": _("closed"),
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
        "proven": _("proven"),
        "not_proven": _("not proven"),
        "pilgub": _("governor"),
        "pilbup": _("regent"),
        "pilwalkot": _("mayor"),
    }.get(value, value)
