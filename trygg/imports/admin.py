from django.contrib import admin

from trygg.imports.models import ImportProfile, ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Read-only record of each import; deleting a draft removes its uploaded file too."""

    list_display = ["created_at", "organisation", "file_name", "status", "created", "rejected"]
    list_filter = ["status", "file_format"]
    search_fields = ["file_name", "file_hash"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A finished run is the record of reports taken in; only drafts may go.
        return obj is None or obj.is_open


@admin.register(ImportProfile)
class ImportProfileAdmin(admin.ModelAdmin):
    list_display = ["organisation", "name", "updated_at"]
    readonly_fields = ["updated_at", "updated_by"]
