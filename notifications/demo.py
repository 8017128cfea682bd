"""Demo email settings: the organisers' own paragraph in the confirmation and in the
reminders of the Nagyvázsony training, written in the six languages (each participant
reads it in theirs). Saved through the service, as the emails page does; loading twice
changes nothing."""

from django.db import transaction

from events.models import Event

from . import services
from .models import NotificationSettings

TEXTS = {
    "coopterr-training-nagyvazsony": {
        "confirmation_text": {
            "en": "Trains and buses from Budapest stop in Veszprém, where our volunteers will "
            "meet you. Please tell us your arrival time by replying to this email, and bring warm "
            "clothes for the visits.",
            "fr": "Les trains et les cars venant de Budapest s’arrêtent à Veszprém, où nos "
            "bénévoles viennent vous chercher. Indiquez-nous votre heure d’arrivée en répondant "
            "à cet e-mail et prévoyez des vêtements chauds pour les visites.",
            "ro": "Trenurile și autocarele dinspre Budapesta opresc la Veszprém, unde vă așteaptă "
            "voluntarii noștri. Vă rugăm să ne comunicați ora sosirii răspunzând la acest "
            "e-mail și să vă luați haine groase pentru vizitele de teren.",
            "hu": "A Budapestről érkező vonatok és buszok Veszprémben állnak meg, ahol "
            "önkénteseink várják Önt. Kérjük, válaszlevélben jelezze, mikor érkezik, és hozzon "
            "magával meleg ruhát a látogatásokhoz.",
            "pt": "Os comboios e autocarros vindos de Budapeste param em Veszprém, onde a "
            "nossa equipa de voluntariado estará à sua espera. Indique-nos a sua hora de "
            "chegada respondendo a este e-mail e traga roupa quente para as visitas.",
            "it": "I treni e i pullman provenienti da Budapest fermano a Veszprém, dove La "
            "attenderanno i nostri volontari. Ci comunichi l’orario di arrivo rispondendo a "
            "questa email e porti con sé abiti caldi per le visite.",
        },
        "reminder_text": {
            "en": "The community house is at Vár utca 9, below the castle. Lunch is served on "
            "site every day: if your dietary needs have changed, please let us know before you "
            "leave.",
            "fr": "La maison commune se trouve au 9, Vár utca, au pied du château. Le déjeuner "
            "est servi sur place chaque jour\u00a0: si votre régime alimentaire a changé, "
            "prévenez-nous avant votre départ.",
            "ro": "Căminul cultural se află la adresa Vár utca 9, la poalele cetății. Prânzul se "
            "servește în fiecare zi la fața locului: dacă cerințele dumneavoastră alimentare "
            "s-au schimbat, vă rugăm să ne anunțați înainte de plecare.",
            "hu": "A közösségi ház a Vár utca 9. szám alatt, a vár lábánál található. Az ebédet "
            "minden nap helyben szolgáljuk fel: ha étkezési igényei megváltoztak, kérjük, "
            "indulás előtt jelezze nekünk.",
            "pt": "A casa comunitária fica na Vár utca 9, junto ao castelo. O almoço é servido "
            "no local todos os dias: se as suas necessidades alimentares mudaram, avise-nos "
            "antes de partir.",
            "it": "La casa della comunità si trova in Vár utca 9, ai piedi del castello. Il "
            "pranzo è servito sul posto tutti i giorni: se le Sue esigenze alimentari sono "
            "cambiate, ce lo comunichi prima della partenza.",
        },
    }
}


@transaction.atomic
def load() -> None:
    for slug, texts in TEXTS.items():
        event = Event.objects.filter(slug=slug).first()
        if event is None:
            continue
        current = NotificationSettings.objects.filter(event=event).first() or (
            NotificationSettings(event=event)
        )
        services.email_settings_save(
            event=event,
            actor=None,
            texts=texts,
            daily_digest=current.daily_digest,
            digest_time=current.digest_time,
            reply_to=current.reply_to,
        )
