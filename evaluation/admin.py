"""The feedback surveys in the admin (superusers only, config/admin.py). Surveys are set
up in the event's setup pages; here a superuser reads them, corrects a question's text
or the closing date. Who answered (the receipts) is read only.

Responses and answers are not in the admin: the results pages show them only in groups
of at least three, and a single response with its partner organisation could name its
author."""

from django.contrib import admin
from modeltranslation.admin import TranslationStackedInline

from config.admin import ReadOnlyAdmin

from .models import Receipt, Survey, SurveyQuestion


class SurveyQuestionInline(TranslationStackedInline):
    model = SurveyQuestion
    extra = 0
    fields = ("kind", "label", "help_text", "required", "per_session", "position")
    readonly_fields = ("kind", "per_session")

    def has_add_permission(self, request, obj=None):
        return False  # questions are added in the survey's setup page


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("event", "closes_at", "question_count", "created_at")
    list_filter = ("closes_at", "event__kind")
    search_fields = ("event__slug",)
    readonly_fields = ("event", "created_at", "updated_at")
    fields = ("event", "closes_at", "created_at", "updated_at")
    inlines = [SurveyQuestionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event")

    @admin.display(description=SurveyQuestion._meta.verbose_name_plural)
    def question_count(self, survey):
        return survey.questions.count()

    def has_add_permission(self, request):
        return False  # set up in the event's setup pages


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    """That a registration answered (not what): read only."""

    list_display = ("registration", "survey", "answered_on")
    list_filter = ("answered_on", ("survey__event", admin.RelatedOnlyFieldListFilter))
    search_fields = ("registration__email", "registration__last_name")
    list_select_related = ("registration", "survey__event")
