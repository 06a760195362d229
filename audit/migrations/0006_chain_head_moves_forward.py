"""On PostgreSQL the chain's head can only move forward, to an entry that exists, and is never
removed: the application's role may update it (every append moves it), but not to hide a cut."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_head_forward_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'the access log head is never removed';
    END IF;
    IF NEW.id <> 1 THEN
        RAISE EXCEPTION 'the access log has one head';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.sequence < OLD.sequence THEN
        RAISE EXCEPTION 'the access log head only moves forward';
    END IF;
    IF NOT (NEW.sequence = 0 AND NEW.entry_hash = repeat('0', 64)) AND NOT EXISTS (
        SELECT 1 FROM audit_accessevent
        WHERE sequence = NEW.sequence AND entry_hash = NEW.entry_hash
    ) THEN
        RAISE EXCEPTION 'the access log head must name an entry of the log';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_chainhead_forward_only
    BEFORE INSERT OR UPDATE OR DELETE ON audit_chainhead
    FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_chainhead_forward_only ON audit_chainhead;
DROP FUNCTION IF EXISTS audit_head_forward_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_api_client_identity")]
    operations = [migrations.RunPython(create, drop)]
