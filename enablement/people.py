"""People and teams in bulk: a CSV of `username,email,first_name,last_name,role,team,manager`
imported in the admin with django-import-export (preview, then apply).

- Rows are matched by username; a re-import of the same file changes nothing (unchanged rows
  are skipped and reported as such).
- `role`: ae, manager or admin (or the labels: Account executive, Manager, Enablement admin).
- A manager row with a `team` leads that team (created if new). An AE row with a `team` joins
  it; a new team needs a `manager` (a manager's username, existing or earlier in the file).
  A row whose team is led by someone other than its `manager` is refused, with the reason.
- Nobody is deleted by an import; removal is explicit deactivation in the admin. New people
  get no password: they sign in with the company's identity provider (or reset one).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from .models import Role, Team, User

ROLES = {**{r.value: r for r in Role}, **{r.label.lower(): r for r in Role}}


class PersonResource(resources.ModelResource):
    role = fields.Field(attribute="role", column_name="role")
    team = fields.Field(
        attribute="team", column_name="team", widget=widgets.ForeignKeyWidget(Team, "name")
    )
    manager = fields.Field(column_name="manager")  # read by import_instance, not stored

    class Meta:
        model = User
        fields = ("username", "email", "first_name", "last_name", "role", "team", "manager")
        import_id_fields = ("username",)
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = True

    def before_import_row(self, row, **kwargs) -> None:
        self._leads = None  # the team a manager row leads, set by import_instance
        for key in self.Meta.fields:
            value = row.get(key)
            row[key] = value.strip() if isinstance(value, str) else (value or "")
        if not row["username"]:
            raise ValidationError("username is empty")
        role = ROLES.get(row["role"].lower()) if row["role"] else Role.AE
        if role is None:
            raise ValidationError(f"role {row['role']!r} is not ae, manager or admin")
        row["role"] = role.value
        self._team_name, row["team"] = row["team"], ""  # resolved in import_instance

    def import_instance(self, instance: User, row, **kwargs) -> None:
        super().import_instance(instance, row, **kwargs)
        if instance.pk is None:
            instance.set_unusable_password()
        name, manager = self._team_name, row.get("manager") or ""
        instance.team = None
        if not name:
            return
        team = Team.objects.filter(name__iexact=name).first()
        if row["role"] == Role.MANAGER:
            if team is not None and team.manager.username != instance.username:
                raise ValidationError(f"team {team.name!r} is already led by {team.manager}")
            self._leads = name
            return
        if row["role"] != Role.AE:
            raise ValidationError("only AEs and managers belong to a team")
        if team is None:
            lead = User.objects.filter(username=manager, role=Role.MANAGER).first()
            if lead is None:
                raise ValidationError(
                    f"team {name!r} does not exist; give its manager's username in 'manager'"
                )
            team = Team.objects.create(name=name, manager=lead)
        elif manager and team.manager.username != manager:
            raise ValidationError(f"team {team.name!r} is led by {team.manager.username}")
        instance.team = team

    def after_save_instance(self, instance: User, row, **kwargs) -> None:
        leads = self._leads
        if leads:
            team = Team.objects.filter(name__iexact=leads).first()
            if team is None:
                Team.objects.create(name=leads, manager=instance)

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        if (
            self._leads
            and not Team.objects.filter(
                name__iexact=self._leads, manager__username=instance.username
            ).exists()
        ):
            return False  # a new team to lead is a change
        return super().skip_row(instance, original, row, import_validation_errors)
