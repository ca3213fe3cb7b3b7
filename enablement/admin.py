from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from import_export.admin import ImportMixin

from .models import Team, User
from .people import PersonResource

admin.site.site_header = "Tierwise administration"
admin.site.site_title = "Tierwise admin"
admin.site.index_title = "Content, people and practice"


@admin.register(User)
class TierwiseUserAdmin(ImportMixin, UserAdmin):
    """People; "Import" takes a CSV of people and teams (enablement/people.py), previewed
    before it is applied."""

    resource_classes = [PersonResource]
    list_display = ("username", "get_full_name", "email", "role", "team", "is_active")
    list_filter = ("role", "team", "is_active", "is_staff")
    search_fields = ("username", "first_name", "last_name", "email")
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Tierwise", {"fields": ("role", "team", "time_zone")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("Tierwise", {"fields": ("role", "team", "email", "first_name", "last_name")}),
    )


class MemberInline(admin.TabularInline):
    model = User
    fk_name = "team"
    fields = ("username", "first_name", "last_name", "email", "role")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "manager", "member_count")
    search_fields = ("name", "manager__username")
    inlines = [MemberInline]

    @admin.display(description="AEs")
    def member_count(self, obj: Team) -> int:
        return obj.members.count()
