"""Pages of the resources app.

- Setup pages (``/<lang>/workspace/<slug>/setup/resources/…``): the event's organisers
  (``events.selectors.event_for_setup``: everyone else gets a 404) add, change, withdraw
  and publish resources, and send speakers their upload links.
- A speaker's upload page (``/<lang>/speakers/upload/<token>/``), by the secret of an
  active link only.
- A resource's file and thumbnail: published ones for anyone, the others for the event's
  organisers; served with the type read from the content, ``nosniff``, and as an
  attachment unless it is an image.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from config.privacy import no_store
from events.models import Event
from events.setup_views import setup_event

from . import selectors, services
from .forms import ResourceEditForm, ResourceForm, SpeakerUploadForm, UploadLinkForm
from .models import Resource, UploadLink


def _page(request, template: str, context: dict, status: int = 200):
    return no_store(render(request, f"resources/{template}", context, status=status))


def _resource(event: Event, pk: int) -> Resource:
    """The event's resource (with the event already read, for its languages and pages)."""
    try:
        resource = selectors.resource_for_setup(event=event, pk=pk)
    except Resource.DoesNotExist:
        raise Http404(_("No such resource.")) from None
    resource.event = event
    return resource


def _form_error(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


# --- the organisers' pages ---------------------------------------------------------------------


@login_required
def setup(request, slug: str):
    """The event's resources, and the form to add one."""
    event = setup_event(request, slug)
    form = ResourceForm(request.POST or None, request.FILES or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_add(
                event=event,
                item=form.cleaned_data["item"],
                kind=form.cleaned_data["kind"],
                titles=form.titles(),
                uploaded=form.cleaned_data["file"],
                url=form.cleaned_data["url"],
                actor=request.user,
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The resource is added. It shows once published."))
            return redirect("resources:setup", slug=event.slug)
    resources = list(selectors.resources_for_setup(event=event))
    context = {
        "event": event,
        "form": form,
        "resources": resources,
        "unpublished": sum(1 for resource in resources if not resource.is_published),
        "may_publish": selectors.may_publish(event=event),
    }
    return _page(request, "setup.html", context, 400 if form.errors else 200)


@login_required
def edit(request, slug: str, pk: int):
    event = setup_event(request, slug)
    resource = _resource(event, pk)
    form = ResourceEditForm(request.POST or None, resource=resource)
    if request.method == "POST" and form.is_valid():
        services.resource_update(
            resource=resource,
            item=form.cleaned_data["item"],
            kind=form.cleaned_data.get("kind", resource.kind),
            titles=form.titles(),
        )
        messages.success(request, _("The resource is saved."))
        return redirect("resources:setup", slug=event.slug)
    context = {"event": event, "resource": resource, "form": form}
    return _page(request, "edit.html", context, 400 if form.errors else 200)


@login_required
def delete(request, slug: str, pk: int):
    event = setup_event(request, slug)
    resource = _resource(event, pk)
    if request.method == "POST":
        services.resource_delete(resource=resource)
        messages.success(request, _("The resource is deleted."))
        return redirect("resources:setup", slug=event.slug)
    context = {
        "event": event,
        "question": _("Delete “%(title)s”? Its file is deleted too.")
        % {"title": resource.i18n.title or resource.original_name or resource.url},
        "button": _("Delete the resource"),
        "danger": True,
        "back": reverse("resources:setup", args=[event.slug]),
    }
    return _page(request, "confirm.html", context)


@login_required
@require_POST
def withdraw(request, slug: str, pk: int):
    event = setup_event(request, slug)
    resource = _resource(event, pk)
    services.resource_withdraw(resource=resource)
    messages.success(request, _("The resource is no longer on the public page."))
    return redirect("resources:setup", slug=event.slug)


@login_required
def publish(request, slug: str):
    """Publish every resource waiting, after a confirmation that says who gets an email."""
    event = setup_event(request, slug)
    pending = selectors.resources_unpublished(event=event).count()
    if request.method == "POST":
        try:
            batch = services.resources_publish(event=event, actor=request.user)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s resource is published on the event page.",
                    "%(count)s resources are published on the event page.",
                    batch.count,
                )
                % {"count": batch.count},
            )
        return redirect("resources:setup", slug=event.slug)
    if selectors.publication_emails(event=event):
        people = selectors.publication_audience(event=event).count()
        emails = ngettext(
            "%(people)s registrant gets one email about them.",
            "%(people)s registrants get one email about them.",
            people,
        ) % {"people": people}
    else:
        emails = _(
            "No email goes out: registrants were emailed when resources were first "
            "published; the event page shows the new ones."
        )
    context = {
        "event": event,
        "question": ngettext(
            "Publish %(count)s resource on the public event page?",
            "Publish %(count)s resources on the public event page?",
            pending,
        )
        % {"count": pending}
        + " "
        + emails,
        "button": _("Publish the resources"),
        "may_publish": selectors.may_publish(event=event) and pending > 0,
        "back": reverse("resources:setup", args=[event.slug]),
    }
    return _page(request, "confirm.html", context)


@login_required
def links(request, slug: str):
    """The speakers' upload links, and the form to send one."""
    event = setup_event(request, slug)
    form = UploadLinkForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.upload_link_create(
                event=event,
                item=form.cleaned_data["item"],
                speaker=form.cleaned_data["speaker"],
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                language=form.cleaned_data["language"],
                actor=request.user,
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, _("The upload link is sent to %(email)s.") % form.cleaned_data
            )
            return redirect("resources:links", slug=event.slug)
    context = {
        "event": event,
        "form": form,
        "upload_links": selectors.upload_links(event=event),
        "link_days": services.LINK_DAYS_AFTER_EVENT,
        "new_link_expires": services.upload_link_expiry(event=event),
    }
    return _page(request, "links.html", context, 400 if form.errors else 200)


@login_required
@require_POST
def link_revoke(request, slug: str, pk: int):
    event = setup_event(request, slug)
    try:
        link = selectors.upload_link_for_setup(event=event, pk=pk)
    except UploadLink.DoesNotExist:
        raise Http404(_("No such link.")) from None
    services.upload_link_revoke(link=link)
    messages.success(request, _("The link no longer works."))
    return redirect("resources:links", slug=event.slug)


# --- a speaker's page --------------------------------------------------------------------------


def speaker_upload(request, token: str):
    """What a speaker sent through their link, and the form to send more."""
    try:
        link = selectors.upload_link_active(token=token)
    except UploadLink.DoesNotExist:
        raise Http404(_("This link does not work: it was revoked or it expired.")) from None
    event = link.event
    form = SpeakerUploadForm(request.POST or None, request.FILES or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_add(
                event=event,
                item=link.item,
                kind=form.cleaned_data["kind"],
                titles=form.titles(),
                uploaded=form.cleaned_data["file"],
                url=form.cleaned_data["url"],
                upload_link=link,
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("Thank you: the organisers publish the resources after the event."),
            )
            return redirect("resources:speaker_upload", token=token)
    sent = list(selectors.resources_of_link(link=link))
    for resource in sent:
        resource.event = event
    context = {"link": link, "event": event, "form": form, "sent": sent}
    return _page(request, "speaker_upload.html", context, 400 if form.errors else 200)


# --- files --------------------------------------------------------------------------------------


def _file_response(request, field, *, content_type: str, filename: str, inline: bool, public):
    try:
        handle = field.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("No such resource.")) from None
    response = FileResponse(
        handle, content_type=content_type, as_attachment=not inline, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Nothing in a served file may run as a page of this site, even if opened directly.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    if public:
        # Kept by browsers and proxies, but asked for again: a file withdrawn (published by
        # mistake, say) is gone at the next request.
        patch_cache_control(response, public=True, no_cache=True)
    else:
        no_store(response)
    return response


def _downloadable(request, pk: int) -> Resource:
    try:
        resource = selectors.resource_for_download(user=request.user, pk=pk)
    except Resource.DoesNotExist:
        raise Http404(_("No such resource.")) from None
    if resource.is_link:
        raise Http404(_("No such resource."))
    return resource


def resource_file(request, pk: int):
    resource = _downloadable(request, pk)
    return _file_response(
        request,
        resource.file,
        content_type=resource.content_type,
        filename=resource.original_name,
        inline=resource.is_image,
        public=resource.is_published,
    )


def resource_thumbnail(request, pk: int):
    resource = _downloadable(request, pk)
    if not resource.thumbnail:
        raise Http404(_("No such resource."))
    return _file_response(
        request,
        resource.thumbnail,
        content_type="image/jpeg",
        filename="thumbnail.jpg",
        inline=True,
        public=resource.is_published,
    )
