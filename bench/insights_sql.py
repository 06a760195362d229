# ruff: noqa: S608 - the SQL is built from constants only; every value is a parameter.
"""One hand-written PostgreSQL query per indicator, for the municipality as a whole: the yardstick
the dashboard's ORM queries are measured against (bench/insights.py), and a second, independent
reading of each definition — the bench checks that both give the same numbers.

Parameters: m (municipality id), s and e (the period, inclusive), t (today), w (the window
before a decision, days), threshold (the caseload threshold)."""

LOCAL = "AT TIME ZONE 'Europe/Copenhagen')::date"
KIDS = "SELECT id FROM cases_child WHERE municipality_id = %(m)s AND removed_at IS NULL"
PLACEMENTS = "('foster_care', 'kinship_care', 'institution', 'own_room')"
# Each caseworker's children held at the end of the period.
LOADS = f"""
        SELECT a.caseworker_id, count(DISTINCT a.child_id) AS n
        FROM continuity_caseworkerassignment a JOIN accounts_user u ON u.id = a.caseworker_id
        WHERE u.municipality_id = %(m)s AND u.role = 'caseworker' AND a.kind = 'responsible'
          AND a.removed_at IS NULL AND (a.started_at {LOCAL} <= %(e)s
          AND (a.ended_at IS NULL OR (a.ended_at {LOCAL} > %(e)s)
        GROUP BY a.caseworker_id) loads"""
DECISIONS = f"""
    FROM cases_decision d JOIN cases_case k ON k.id = d.case_id
    WHERE k.child_id IN ({KIDS}) AND d.removed_at IS NULL AND d.finalised_at IS NOT NULL
      AND d.decided_on BETWEEN %(s)s AND %(e)s"""


def _average(outcomes: str) -> str:
    return f"""
    SELECT count(*), round(avg(a.normalized), 1)
    FROM feedback_itemanswer a
    JOIN feedback_item i ON i.id = a.item_id
    JOIN feedback_feedbackresponse r ON r.id = a.response_id
    WHERE i.outcome IN {outcomes} AND a.value IS NOT NULL AND r.respondent = 'child'
      AND (r.completed_at {LOCAL} BETWEEN %(s)s AND %(e)s
      AND r.child_id IN ({KIDS}) AND a.normalized IS NOT NULL"""


SQL = {
    "decisions_heard": f"""
    SELECT count(*), count(*) FILTER (WHERE
        EXISTS (SELECT 1 FROM conversations_conversation c
                WHERE c.decision_id = d.id AND c.status IN ('held', 'not_held')
                  AND c.removed_at IS NULL
                  AND (coalesce(c.held_at, c.planned_at) {LOCAL} <= d.decided_on)
        OR EXISTS (SELECT 1 FROM conversations_conversation c
                   WHERE c.child_id = k.child_id AND c.status IN ('held', 'not_held')
                     AND c.kind = 'before_decision' AND c.removed_at IS NULL
                     AND (coalesce(c.held_at, c.planned_at) {LOCAL}
                         BETWEEN d.decided_on - %(w)s AND d.decided_on))
    {DECISIONS}""",
    "assessments_on_time": f"""
    SELECT count(*), count(*) FILTER (WHERE a.completed_on <= a.deadline)
    FROM cases_assessment a JOIN cases_case k ON k.id = a.case_id
    WHERE k.child_id IN ({KIDS}) AND a.removed_at IS NULL
      AND a.completed_on BETWEEN %(s)s AND %(e)s""",
    "follow_up_on_time": f"""
    SELECT count(*), count(*) FILTER (WHERE
        EXISTS (SELECT 1 FROM conversations_conversation c
                WHERE c.child_id = k.child_id AND c.status IN ('held', 'not_held')
                  AND c.removed_at IS NULL AND (c.measure_id = me.id OR c.kind = 'follow_up')
                  AND (coalesce(c.held_at, c.planned_at) {LOCAL}
                      BETWEEN me.started_on AND me.first_follow_up_due)
        OR EXISTS (SELECT 1 FROM cases_followup f
                   WHERE f.case_id = me.case_id AND f.removed_at IS NULL
                     AND f.held_on BETWEEN me.started_on AND me.first_follow_up_due))
    FROM cases_measure me JOIN cases_case k ON k.id = me.case_id
    WHERE k.child_id IN ({KIDS}) AND me.removed_at IS NULL
      AND me.first_follow_up_due BETWEEN %(s)s AND least(%(e)s, %(t)s)
      AND (me.ended_on IS NULL OR me.ended_on >= me.first_follow_up_due)""",
    "plans_on_time": f"""
    SELECT count(*), count(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM plans_childplan p
        WHERE p.child_id = k.child_id AND p.removed_at IS NULL AND p.adopted_on <= d.plan_due
          AND (p.decision_id = d.id OR p.adopted_on >= d.decided_on)))
    FROM cases_decision d JOIN cases_case k ON k.id = d.case_id
    JOIN cases_measure me ON me.id = d.measure_id
    WHERE k.child_id IN ({KIDS}) AND d.removed_at IS NULL AND d.finalised_at IS NOT NULL
      AND me.kind IN {PLACEMENTS} AND d.plan_due BETWEEN %(s)s AND least(%(e)s, %(t)s)""",
    # Barnets lov § 156, stk. 5 with the default settings (2 visits in every 12 months, pro rata
    # in the first year): PostgreSQL's date + interval clamps to the month's end as add_months.
    "supervision_twice": f"""
    SELECT count(*), count(*) FILTER (WHERE CASE WHEN p.n >= 2
        THEN (p.second + interval '12 months')::date
        ELSE (p.started_on + (p.n + 1) * interval '6 months')::date END >= %(e)s)
    FROM (
        SELECT me.started_on, (
            SELECT count(*) FROM conversations_conversation c
            WHERE c.child_id = k.child_id AND c.kind = 'supervision' AND c.status = 'held'
              AND c.removed_at IS NULL
              AND (c.held_at {LOCAL} BETWEEN me.started_on AND %(e)s) AS n, (
            SELECT (c.held_at {LOCAL} FROM conversations_conversation c
            WHERE c.child_id = k.child_id AND c.kind = 'supervision' AND c.status = 'held'
              AND c.removed_at IS NULL
              AND (c.held_at {LOCAL} BETWEEN me.started_on AND %(e)s
            ORDER BY c.held_at DESC OFFSET 1 LIMIT 1) AS second
        FROM cases_measure me JOIN cases_case k ON k.id = me.case_id
        WHERE k.child_id IN ({KIDS}) AND me.removed_at IS NULL AND me.kind IN {PLACEMENTS}
          AND (me.started_on + interval '6 months')::date <= %(e)s
          AND (me.ended_on IS NULL OR me.ended_on > %(e)s)) p""",
    "feedback_share": f"""
    SELECT count(*), count(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM feedback_feedbackresponse r
        JOIN feedback_feedbackrequest q ON q.id = r.request_id
        WHERE q.conversation_id = c.id AND r.respondent = 'child'
          AND r.completed_at IS NOT NULL))
    FROM conversations_conversation c
    WHERE c.child_id IN ({KIDS}) AND c.removed_at IS NULL AND c.status = 'held'
      AND c.kind <> 'informal' AND (c.held_at {LOCAL} BETWEEN %(s)s AND %(e)s""",
    "felt_listened": _average("('listened')"),
    "understood_next": _average("('understood_next')"),
    "had_say": _average("('had_say')"),
    "understands_decisions": f"""
    SELECT count(*), count(*) FILTER (
        WHERE d.child_told_on IS NOT NULL AND d.explanation_for_child <> '')
    {DECISIONS}""",
    "feels_heard": _average("('listened', 'had_say')"),
    "influence": f"""
    SELECT count(*), count(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM plans_wishanswer wa WHERE wa.wish_id = w.id AND wa.removed_at IS NULL))
    FROM conversations_wish w
    WHERE w.child_id IN ({KIDS}) AND w.removed_at IS NULL
      AND (w.created_at {LOCAL} BETWEEN %(s)s AND %(e)s""",
    "ownership": f"""
    SELECT count(*), count(*) FILTER (WHERE p.child_agrees)
    FROM plans_childplan p
    WHERE p.child_id IN ({KIDS}) AND p.removed_at IS NULL AND p.child_agrees IS NOT NULL
      AND p.adopted_on BETWEEN %(s)s AND %(e)s""",
    "caseworkers_per_child": f"""
    SELECT count(DISTINCT a.child_id),
           round(count(DISTINCT (a.child_id, a.caseworker_id))::numeric
                 / nullif(count(DISTINCT a.child_id), 0), 2)
    FROM continuity_caseworkerassignment a
    WHERE a.child_id IN ({KIDS}) AND a.removed_at IS NULL AND a.kind = 'responsible'
      AND (a.started_at {LOCAL} <= %(e)s
      AND (a.ended_at IS NULL OR (a.ended_at {LOCAL} > %(e)s - 365)""",
    "handovers_joint": f"""
    SELECT count(*), count(*) FILTER (WHERE h.joint_meeting_at IS NOT NULL)
    FROM continuity_handover h
    WHERE h.child_id IN ({KIDS}) AND h.removed_at IS NULL AND h.status = 'completed'
      AND (h.finished_at {LOCAL} BETWEEN %(s)s AND %(e)s""",
    "view_in_decisions": f"""
    SELECT count(*), count(*) FILTER (WHERE d.childs_view <> '' AND d.how_weighed <> '')
    {DECISIONS}""",
    "keeps_developing": """
    SELECT count(*), (SELECT score FROM insights_selfassessment
                      WHERE municipality_id = %(m)s AND removed_at IS NULL
                        AND carried_out_on BETWEEN %(s)s AND %(e)s
                      ORDER BY carried_out_on DESC, id DESC LIMIT 1)
    FROM insights_selfassessment
    WHERE municipality_id = %(m)s AND removed_at IS NULL
      AND carried_out_on BETWEEN %(s)s AND %(e)s""",
    "caseload": f"""
    SELECT sum(n), round(sum(n)::numeric / nullif(count(*), 0), 1) FROM (
{LOADS}""",
    "over_threshold": f"""
    SELECT count(*), count(*) FILTER (WHERE n > %(threshold)s) FROM (
{LOADS}""",
    "turnover": f"""
    SELECT count(*), count(*) FILTER (WHERE u.left_on <= %(e)s)
    FROM accounts_user u
    WHERE u.municipality_id = %(m)s AND u.role = 'caseworker'
      AND (u.date_joined {LOCAL} <= %(e)s AND (u.left_on IS NULL OR u.left_on >= %(s)s)""",
    "lifebook_overdue": f"""
    SELECT count(*), count(*) FILTER (WHERE since < %(e)s - CASE role
        WHEN 'foster_carer' THEN %(foster_carer)s WHEN 'institution_staff' THEN %(institution)s
        ELSE %(teacher)s END)
    FROM (
        SELECT l.role, coalesce(
            (SELECT (max(en.created_at) {LOCAL} FROM lifebook_entry en
             WHERE en.child_id = l.child_id AND en.author_id = l.user_id
               AND en.removed_at IS NULL AND (en.created_at {LOCAL} <= %(e)s),
            l.started_on) AS since
        FROM cases_contributorlink l
        WHERE l.child_id IN ({KIDS}) AND l.removed_at IS NULL
          AND l.role IN ('foster_carer', 'institution_staff', 'teacher')
          AND l.started_on <= %(e)s AND (l.ended_on IS NULL OR l.ended_on > %(e)s)) links""",
    "complaints": f"""
    SELECT count(*), count(*)
    FROM plans_complaint c
    WHERE c.child_id IN ({KIDS}) AND c.removed_at IS NULL
      AND c.received_on BETWEEN %(s)s AND %(e)s""",
    "breakdowns": f"""
    SELECT count(*), count(*) FILTER (WHERE me.end_kind = 'unplanned')
    FROM cases_measure me JOIN cases_case k ON k.id = me.case_id
    WHERE k.child_id IN ({KIDS}) AND me.removed_at IS NULL AND me.kind IN {PLACEMENTS}
      AND me.ended_on BETWEEN %(s)s AND %(e)s""",
}
