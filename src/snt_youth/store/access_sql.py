"""PostgreSQL's side of who may see what: the functions, policies and triggers that
migration 0005 installs in the schema, and the grants given to the product's roles.

Every table that holds a young person's data has row-level security, enabled and
forced (so the owning role is not exempt), with one policy keyed on
``session_user``:

- ``young_people``: rows whose team is one of the session's teams, or every row when
  the session sees the whole service (the schema owner, an admin, a manager with no
  teams);
- every table attached to a young person (screenings, answers, offers, sessions,
  their entries, case notes): rows whose young person the session can see.

Superusers are never subject to row-level security in PostgreSQL; a service keeps
them for the database administrator alone.
"""

from __future__ import annotations

#: Tables with a young person's data, and the policy expression for each.
_PERSON = "young_person_id IN (SELECT id FROM {s}.young_people)"
POLICIES: dict[str, str] = {
    "young_people": "(SELECT {s}.snt_sees_all()) OR team IN (SELECT {s}.snt_my_teams())",
    "screenings": _PERSON,
    "screening_answers": "screening_id IN (SELECT id FROM {s}.screenings)",
    "support_offers": _PERSON,
    "sessions": _PERSON,
    "session_entries": "session_id IN (SELECT id FROM {s}.sessions)",
    "case_notes": _PERSON,
}

#: Tables the product's roles may read and add to, never change or empty.
APPEND_ONLY = ("audit_events", "imported_audit_events")
#: Tables the product's roles may only read (users are managed by the owner).
READ_ONLY = ("access_users", "access_teams", "alembic_version")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def install(schema: str) -> list[str]:
    """The statements that set row-level security up in ``schema``."""
    s = _q(schema)
    owner_check = (
        "session_user = (SELECT tableowner FROM pg_tables "
        f"WHERE schemaname = '{schema}' AND tablename = 'young_people')"
    )
    definer = f"SECURITY DEFINER SET search_path = {s}, pg_temp"
    out = [
        f"""CREATE FUNCTION {s}.snt_sees_all() RETURNS boolean LANGUAGE sql STABLE {definer} AS $$
  SELECT {owner_check} OR EXISTS (
    SELECT 1 FROM access_users u WHERE u.role_name = session_user AND NOT u.disabled
    AND (u.role = 'admin' OR (u.role = 'manager'
         AND NOT EXISTS (SELECT 1 FROM access_teams t WHERE t.user_name = u.name))))
$$""",
        f"""CREATE FUNCTION {s}.snt_my_teams() RETURNS SETOF text
LANGUAGE sql STABLE {definer} AS $$
  SELECT t.team::text FROM access_teams t JOIN access_users u ON u.name = t.user_name
  WHERE u.role_name = session_user AND NOT u.disabled
$$""",
        # A named user's audit events carry the login of the session, whatever was sent.
        f"""CREATE FUNCTION {s}.snt_audit_user() RETURNS trigger LANGUAGE plpgsql {definer} AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM access_users WHERE role_name = session_user) THEN
    NEW.user_name := session_user;
  END IF;
  RETURN NEW;
END
$$""",
        f"CREATE TRIGGER snt_audit_user BEFORE INSERT ON {s}.audit_events "
        f"FOR EACH ROW EXECUTE FUNCTION {s}.snt_audit_user()",
        f"""CREATE FUNCTION {s}.snt_team_move() RETURNS trigger LANGUAGE plpgsql {definer} AS $$
BEGIN
  IF NEW.team IS DISTINCT FROM OLD.team AND EXISTS (
      SELECT 1 FROM access_users WHERE role_name = session_user
      AND role NOT IN ('manager', 'admin')) THEN
    RAISE EXCEPTION 'Only a manager or an admin can move a young person to another team.'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$""",
        f"CREATE TRIGGER snt_team_move BEFORE UPDATE OF team ON {s}.young_people "
        f"FOR EACH ROW EXECUTE FUNCTION {s}.snt_team_move()",
        # Redaction: the one way an audit event changes. Only for an admin (or the owner),
        # only with a redact event of theirs that is later than every event it clears.
        f"""CREATE FUNCTION {s}.snt_redact_audit(ids integer[], by_id integer) RETURNS integer
LANGUAGE plpgsql {definer} AS $$
DECLARE changed integer;
BEGIN
  IF NOT ({owner_check} OR EXISTS (SELECT 1 FROM access_users WHERE role_name = session_user
          AND role = 'admin' AND NOT disabled)) THEN
    RAISE EXCEPTION 'Only an admin can redact audit events.'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM audit_events WHERE id = by_id AND action = 'redact'
                 AND id > ALL(ids)) THEN
    RAISE EXCEPTION 'The redaction needs its own later redact event.';
  END IF;
  UPDATE audit_events SET record_id = '', detail = '', redacted_by = by_id
   WHERE id = ANY(ids) AND redacted_by IS NULL;
  GET DIAGNOSTICS changed = ROW_COUNT;
  RETURN changed;
END
$$""",
        f"REVOKE ALL ON FUNCTION {s}.snt_redact_audit(integer[], integer) FROM PUBLIC",
    ]
    for table, policy in POLICIES.items():
        expr = policy.format(s=s)
        out += [
            f"ALTER TABLE {s}.{table} ENABLE ROW LEVEL SECURITY",
            f"ALTER TABLE {s}.{table} FORCE ROW LEVEL SECURITY",
            f"CREATE POLICY snt_team ON {s}.{table} USING ({expr}) WITH CHECK ({expr})",
        ]
    return out


def uninstall(schema: str) -> list[str]:
    """The statements that take :func:`install` away again."""
    s = _q(schema)
    out: list[str] = []
    for table in POLICIES:
        out += [
            f"DROP POLICY IF EXISTS snt_team ON {s}.{table}",
            f"ALTER TABLE {s}.{table} NO FORCE ROW LEVEL SECURITY",
            f"ALTER TABLE {s}.{table} DISABLE ROW LEVEL SECURITY",
        ]
    out += [
        f"DROP TRIGGER IF EXISTS snt_team_move ON {s}.young_people",
        f"DROP TRIGGER IF EXISTS snt_audit_user ON {s}.audit_events",
        f"DROP FUNCTION IF EXISTS {s}.snt_team_move()",
        f"DROP FUNCTION IF EXISTS {s}.snt_audit_user()",
        f"DROP FUNCTION IF EXISTS {s}.snt_redact_audit(integer[], integer)",
        f"DROP FUNCTION IF EXISTS {s}.snt_my_teams()",
        f"DROP FUNCTION IF EXISTS {s}.snt_sees_all()",
    ]
    return out


def group_role(namespace: str, role: str) -> str:
    """The product's group role for ``role`` in this database's namespace."""
    return f"{namespace}_g_{role}"


def grants(schema: str, group: str, role: str) -> list[str]:
    """What one group role may do in ``schema``."""
    s, g = _q(schema), _q(group)
    out = [
        f"GRANT USAGE ON SCHEMA {s} TO {g}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {g}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {g}",
    ]
    for table in APPEND_ONLY:
        out.append(f"REVOKE UPDATE, DELETE, TRUNCATE ON {s}.{table} FROM {g}")
    for table in READ_ONLY:
        out.append(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {s}.{table} FROM {g}")
    # The chain's head row is moved on by every audit write, never added or removed.
    out.append(f"REVOKE INSERT, DELETE, TRUNCATE ON {s}.audit_chain FROM {g}")
    out.append(f"REVOKE TRUNCATE ON ALL TABLES IN SCHEMA {s} FROM {g}")
    if role == "admin":
        out.append(f"GRANT EXECUTE ON FUNCTION {s}.snt_redact_audit(integer[], integer) TO {g}")
    return out
