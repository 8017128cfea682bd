"""Demo data: a real-looking partner network, its meetings and trainings.

Built from the network's own documents (an Erasmus+ partnership of six organisations and
a French federation's national meetings). Dates are relative to today so that "upcoming"
and reminders make sense. Loading twice changes nothing: every row is found by a natural
key (slug, email, or a UUID derived from the event and the item's key).
"""

import uuid
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from .models import Event, NetworkIdentity, Organisation, ProgrammeItem, Room, Speaker, Venue

DEMO_NAMESPACE = uuid.UUID("6f6b2c1e-8a1f-4b8e-9a57-2f3d7a0c9b11")
DEMO_PASSWORD = "rencontres-demo"  # noqa: S105 (printed for the demo; never used in production)


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str


ORGANISATIONS = [
    # slug, name, country, city, website
    ("cries", "CRIES", "RO", "Timișoara", "https://www.cries.ro"),
    ("fekete-sereg", "Fekete Sereg Ifjúsági Egyesület", "HU", "Nagyvázsony", ""),
    ("largo-residencias", "Largo Residências", "PT", "Lisboa", "https://largoresidencias.com"),
    ("solidarius-italia", "Solidarius Italia", "IT", "Roma", ""),
    ("ripess-europe", "RIPESS Europe", "LU", "Luxembourg", "https://www.ripess.eu"),
    ("ufisc", "UFISC", "FR", "Paris", "https://www.ufisc.org"),
    ("le-fil", "Le Fil", "FR", "Saint-Étienne", "https://www.le-fil.com"),
    ("opale", "Opale / Cnar Culture", "FR", "Paris", "https://www.opale.asso.fr"),
]

VENUES = [
    # key, name, address, postcode, city, country, lat, lon, organisation, rooms
    (
        "le-fil",
        "Le Fil",
        "20 boulevard Thiers",
        "42000",
        "Saint-Étienne",
        "FR",
        "45.451900",
        "4.391500",
        "le-fil",
        ["Grande salle", "Club", "Salle Jazz", "Salle de réunion"],
    ),
    (
        "cries",
        "Centrul de Resurse pentru Inițiative Etice și Solidare",
        "Strada Mărășești 14",
        "300086",
        "Timișoara",
        "RO",
        "45.755900",
        "21.229000",
        "cries",
        ["Sala mare", "Atelier 1", "Atelier 2"],
    ),
    (
        "nagyvazsony",
        "Kinizsi Vár közösségi ház",
        "Vár utca 9",
        "8291",
        "Nagyvázsony",
        "HU",
        "46.982700",
        "17.696700",
        "fekete-sereg",
        ["Nagyterem", "Műhely A", "Műhely B", "Udvar"],
    ),
    (
        "maison-des-reseaux",
        "La Maison des Réseaux Artistiques et Culturels",
        "221 rue de Belleville",
        "75019",
        "Paris",
        "FR",
        "48.877500",
        "2.392800",
        "ufisc",
        ["Salle principale", "Salle A", "Salle B"],
    ),
    (
        "largo",
        "Largo Residências",
        "Largo do Intendente Pina Manique 19",
        "1100-285",
        "Lisboa",
        "PT",
        "38.721700",
        "-9.135500",
        "largo-residencias",
        ["Sala do Largo", "Oficina", "Pátio"],
    ),
    (
        "roma",
        "Casa dell'Economia Solidale",
        "Via dei Volsci 22",
        "00185",
        "Roma",
        "IT",
        "41.897000",
        "12.515000",
        "solidarius-italia",
        ["Sala grande"],
    ),
]

# The demo's texts in the languages their authors did not write them in, keyed by the English
# text ("{n}": the day's number): a visitor reads every event and programme in their own
# language (issue 17). Texts given in an event's own definition win over these.
TRANSLATIONS: dict[str, dict[str, str]] = {
    # National meeting in Saint-Étienne
    "Culture and territorial development: building cooperation": {
        "ro": "Cultură și dezvoltare teritorială: construirea cooperării",
        "hu": "Kultúra és területfejlesztés: együttműködések építése",
        "pt": "Cultura e desenvolvimento territorial: construir a cooperação",
        "it": "Cultura e sviluppo territoriale: costruire la cooperazione",
    },
    "Two days of national meetings on alternative economic models built on cooperation in "
    "culture.": {
        "ro": "Două zile de întâlniri naționale despre modele economice alternative, bazate "
        "pe cooperarea în domeniul culturii.",
        "hu": "Kétnapos országos találkozó a kulturális együttműködésre épülő alternatív "
        "gazdasági modellekről.",
        "pt": "Dois dias de encontros nacionais sobre modelos económicos alternativos "
        "assentes na cooperação no setor cultural.",
        "it": "Due giornate di incontri nazionali su modelli economici alternativi fondati "
        "sulla cooperazione in ambito culturale.",
    },
    "Welcome coffee": {
        "ro": "Cafea de bun venit",
        "hu": "Érkezés, kávé",
        "pt": "Café de boas-vindas",
        "it": "Caffè di benvenuto",
    },
    "Opening plenary: why cooperate?": {
        "ro": "Sesiunea plenară de deschidere: de ce să cooperăm?",
        "hu": "Nyitó plenáris ülés: miért működjünk együtt?",
        "pt": "Sessão plenária de abertura: porquê cooperar?",
        "it": "Plenaria di apertura: perché cooperare?",
    },
    "Workshop 1: sharing jobs between organisations": {
        "ro": "Atelierul 1: locuri de muncă împărțite între organizații",
        "hu": "1. műhely: közös foglalkoztatás szervezetek között",
        "pt": "Oficina 1: partilhar postos de trabalho entre organizações",
        "it": "Laboratorio 1: condividere posti di lavoro tra organizzazioni",
    },
    "Workshop 2: shared places and third places": {
        "ro": "Atelierul 2: spații comune și „locuri terțe”",
        "hu": "2. műhely: közösségi terek és „harmadik helyek”",
        "pt": "Oficina 2: espaços partilhados e «terceiros lugares»",
        "it": "Laboratorio 2: spazi condivisi e «terzi luoghi»",
    },
    "Workshop 3: cooperating with local authorities": {
        "ro": "Atelierul 3: cooperarea cu autoritățile locale",
        "hu": "3. műhely: együttműködés az önkormányzatokkal",
        "pt": "Oficina 3: cooperar com as autarquias",
        "it": "Laboratorio 3: cooperare con gli enti locali",
    },
    "Lunch": {"fr": "Déjeuner", "ro": "Prânz", "hu": "Ebéd", "pt": "Almoço", "it": "Pranzo"},
    "Round table: solidarity economy and culture": {
        "ro": "Masă rotundă: economie solidară și cultură",
        "hu": "Kerekasztal: szolidáris gazdaság és kultúra",
        "pt": "Mesa-redonda: economia solidária e cultura",
        "it": "Tavola rotonda: economia solidale e cultura",
    },
    "Visit of the Culture & Coopération cluster": {
        "ro": "Vizită la clusterul Culture & Coopération",
        "hu": "Látogatás a Culture & Coopération klaszternél",
        "pt": "Visita ao cluster Culture & Coopération",
        "it": "Visita al cluster Culture & Coopération",
    },
    "Dinner and concert": {
        "ro": "Cină și concert",
        "hu": "Vacsora és koncert",
        "pt": "Jantar e concerto",
        "it": "Cena e concerto",
    },
    "Workshop 4: combining funding": {
        "ro": "Atelierul 4: combinarea surselor de finanțare",
        "hu": "4. műhely: finanszírozási források összekapcsolása",
        "pt": "Oficina 4: combinar fontes de financiamento",
        "it": "Laboratorio 4: combinare le fonti di finanziamento",
    },
    "Workshop 5: shared governance": {
        "ro": "Atelierul 5: guvernanță participativă",
        "hu": "5. műhely: megosztott döntéshozatal",
        "pt": "Oficina 5: governação partilhada",
        "it": "Laboratorio 5: governance condivisa",
    },
    "Closing plenary": {
        "ro": "Sesiunea plenară de încheiere",
        "hu": "Záró plenáris ülés",
        "pt": "Sessão plenária de encerramento",
        "it": "Plenaria conclusiva",
    },
    # Trainings (the programme of each day)
    "Day {n}: peer-to-peer session": {
        "fr": "Jour {n}\u00a0: séance entre pairs",
        "ro": "Ziua {n}: învățare între egali",
        "hu": "{n}. nap: tanulás egymástól",
        "pt": "Dia {n}: sessão entre pares",
        "it": "Giorno {n}: sessione tra pari",
    },
    "Workshop A{n}: mapping local cooperation": {
        "fr": "Atelier A{n}\u00a0: cartographier les coopérations",
        "ro": "Atelierul A{n}: cartografierea cooperării locale",
        "hu": "A{n} műhely: a helyi együttműködések feltérképezése",
        "pt": "Oficina A{n}: mapear a cooperação local",
        "it": "Laboratorio A{n}: mappare la cooperazione locale",
    },
    "Workshop B{n}: tools for shared governance": {
        "fr": "Atelier B{n}\u00a0: outils de gouvernance partagée",
        "ro": "Atelierul B{n}: instrumente de guvernanță participativă",
        "hu": "B{n} műhely: a közös döntéshozatal eszközei",
        "pt": "Oficina B{n}: ferramentas de governação partilhada",
        "it": "Laboratorio B{n}: strumenti di governance condivisa",
    },
    "Field visit to a local cooperation": {
        "fr": "Visite de terrain d’une coopération locale",
        "ro": "Vizită de teren la o inițiativă locală de cooperare",
        "hu": "Tereplátogatás egy helyi együttműködésnél",
        "pt": "Visita de terreno a uma iniciativa local de cooperação",
        "it": "Visita sul campo a un’esperienza locale di cooperazione",
    },
    "Territorial cooperation training in Timișoara": {
        "hu": "Területi együttműködési képzés Temesváron",
        "pt": "Formação em cooperação territorial em Timișoara",
        "it": "Formazione sulla cooperazione territoriale a Timișoara",
    },
    "Four days of field training and peer-to-peer learning hosted by CRIES, with delegations "
    "from the six partners.": {
        "hu": "Négy nap terepi képzés és tanulás egymástól a CRIES vendégeként, a hat partner "
        "küldöttségeivel.",
        "pt": "Quatro dias de formação no terreno e de aprendizagem entre pares, acolhidos "
        "pela CRIES, com delegações dos seis parceiros.",
        "it": "Quattro giorni di formazione sul campo e di apprendimento tra pari, ospitati "
        "da CRIES, con le delegazioni dei sei partner.",
    },
    "Culture and territorial cohesion training in Nagyvázsony": {
        "ro": "Formare despre cultură și coeziune teritorială la Nagyvázsony",
        "pt": "Formação sobre cultura e coesão territorial em Nagyvázsony",
        "it": "Formazione su cultura e coesione territoriale a Nagyvázsony",
    },
    "Around seventy people from organisations working with culture and territorial cohesion "
    "meet in Nagyvázsony.": {
        "fr": "Environ soixante-dix personnes d’organisations qui travaillent sur la culture "
        "et la cohésion territoriale se retrouvent à Nagyvázsony.",
        "ro": "Aproximativ șaptezeci de persoane din organizații care lucrează în domeniul "
        "culturii și al coeziunii teritoriale se întâlnesc la Nagyvázsony.",
        "pt": "Cerca de setenta pessoas de organizações que trabalham com a cultura e a "
        "coesão territorial encontram-se em Nagyvázsony.",
        "it": "Circa settanta persone di organizzazioni che si occupano di cultura e coesione "
        "territoriale si incontrano a Nagyvázsony.",
    },
    "Shared places training in Lisbon": {
        "fr": "Formation sur les lieux partagés à Lisbonne",
        "ro": "Formare despre spații comune la Lisabona",
        "hu": "Közösségi terek képzés Lisszabonban",
        "it": "Formazione sugli spazi condivisi a Lisbona",
    },
    "Solidarity economy networks (draft)": {
        "ro": "Rețele de economie solidară (ciornă)",
        "hu": "Szolidáris gazdasági hálózatok (piszkozat)",
        "pt": "Redes de economia solidária (rascunho)",
        "it": "Reti di economia solidale (bozza)",
    },
    # Closing event, online meeting, Rome
    "Final event of the COOPTERR project": {
        "ro": "Evenimentul de închidere al proiectului COOPTERR",
        "hu": "A COOPTERR projekt záróeseménye",
        "pt": "Evento de encerramento do projeto COOPTERR",
        "it": "Evento conclusivo del progetto COOPTERR",
    },
    "Presentation of the results of COOPTERR with our European partners: cultural rights and "
    "territorial cooperation.": {
        "ro": "Prezentarea rezultatelor COOPTERR împreună cu partenerii noștri europeni: "
        "drepturi culturale și cooperare teritorială.",
        "hu": "A COOPTERR eredményeinek bemutatása európai partnereinkkel: kulturális jogok "
        "és területi együttműködés.",
        "pt": "Apresentação dos resultados do COOPTERR com os nossos parceiros europeus: "
        "direitos culturais e cooperação territorial.",
        "it": "Presentazione dei risultati di COOPTERR con i nostri partner europei: diritti "
        "culturali e cooperazione territoriale.",
    },
    "Feedback on the objectives of COOPTERR": {
        "ro": "Bilanțul obiectivelor COOPTERR",
        "hu": "Visszatekintés a COOPTERR céljaira",
        "pt": "Balanço dos objetivos do COOPTERR",
        "it": "Bilancio degli obiettivi di COOPTERR",
    },
    "Open discussion": {
        "ro": "Discuție deschisă",
        "hu": "Kötetlen beszélgetés",
        "pt": "Debate aberto",
        "it": "Discussione aperta",
    },
    "Partners' coordination meeting (online)": {
        "ro": "Reuniunea de coordonare a partenerilor (online)",
        "hu": "Partneri egyeztető megbeszélés (online)",
        "pt": "Reunião de coordenação dos parceiros (online)",
        "it": "Riunione di coordinamento dei partner (online)",
    },
    "Transnational partners' meeting in Rome": {
        "fr": "Réunion transnationale des partenaires à Rome",
        "ro": "Reuniunea transnațională a partenerilor la Roma",
        "hu": "Nemzetközi partnertalálkozó Rómában",
        "pt": "Reunião transnacional dos parceiros em Roma",
    },
}


def _in_every_language(per_language: dict[str, str], **values) -> dict[str, str]:
    """A text in every language the demo has it in: the event's own texts first, then the
    translations of its English text from TRANSLATIONS; ``values`` fill "{n}"."""
    english = per_language.get("en", "")
    texts = {**TRANSLATIONS.get(english, {}), **per_language}
    return {code: text.format(**values) if values else text for code, text in texts.items()}


USERS = [
    # email, first, last, superuser, staff
    ("admin@rencontres.example", "Ada", "Admin", True, True),
    ("organiser@rencontres.example", "Odile", "Martin", False, True),
    ("coordinator.ro@rencontres.example", "Mihaela", "Popescu", False, False),
    ("coordinator.hu@rencontres.example", "Rita", "Kovács", False, False),
    ("participant@rencontres.example", "Paulo", "Silva", False, False),
]


def _local(day: date, hhmm: str, tz: str) -> datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=zoneinfo.ZoneInfo(tz))


def _users() -> dict[str, object]:
    from allauth.account.models import EmailAddress

    user_model = get_user_model()
    users = {}
    for email, first, last, superuser, staff in USERS:
        user, created = user_model.objects.get_or_create(
            username=email, defaults={"email": email, "first_name": first, "last_name": last}
        )
        user.is_superuser, user.is_staff = superuser, staff
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        users[email] = user
    # Organisers edit their own events and programmes in the admin (scoped to their
    # events: events/admin.py); organisations, venues and speakers are the superusers'.
    organisers, _created = Group.objects.get_or_create(name="Organisers")
    organisers.permissions.set(
        Permission.objects.filter(
            content_type__app_label="events",
            codename__in=[
                "add_event",
                "change_event",
                "view_event",
                "add_programmeitem",
                "change_programmeitem",
                "delete_programmeitem",
                "view_programmeitem",
            ],
        )
    )
    users["organiser@rencontres.example"].groups.add(organisers)
    return users


def _organisations(users) -> dict[str, Organisation]:
    organisations = {}
    for slug, name, country, city, website in ORGANISATIONS:
        organisations[slug], _created = Organisation.objects.update_or_create(
            slug=slug, defaults={"name": name, "country": country, "city": city, "website": website}
        )
    organisations["cries"].coordinators.add(users["coordinator.ro@rencontres.example"])
    organisations["fekete-sereg"].coordinators.add(users["coordinator.hu@rencontres.example"])
    return organisations


def _venues(organisations) -> tuple[dict[str, Venue], dict[tuple[str, str], Room]]:
    venues, rooms = {}, {}
    for key, name, address, postcode, city, country, lat, lon, org, room_names in VENUES:
        venue, _created = Venue.objects.update_or_create(
            name=name,
            city=city,
            defaults={
                "address": address,
                "postcode": postcode,
                "country": country,
                "latitude": lat,
                "longitude": lon,
                "organisation": organisations[org],
            },
        )
        venues[key] = venue
        for position, room_name in enumerate(room_names):
            rooms[(key, room_name)], _created = Room.objects.update_or_create(
                venue=venue, name=room_name, defaults={"position": position}
            )
    return venues, rooms


def _speakers(organisations) -> dict[str, Speaker]:
    data = [
        ("Mihaela Vețan", "cries", "Trainer in social and solidarity economy, CRIES."),
        ("Rita Kandikó", "fekete-sereg", "Youth worker and cultural organiser, Fekete Sereg."),
        ("Patricia Coelho", "ufisc", "Coordinator of European projects, UFISC."),
        ("Jason Nardi", "ripess-europe", "General delegate of RIPESS Europe."),
        ("Lucia Ferri", "solidarius-italia", "Researcher on territorial cooperation."),
        ("Marta Silva", "largo-residencias", "Artist and host at Largo Residências."),
        ("Grégoire Pateau", "le-fil", "Director of a music venue and cluster member."),
    ]
    speakers = {}
    for name, org, bio in data:
        speakers[name], _created = Speaker.objects.update_or_create(
            name=name, defaults={"organisation": organisations[org], "bio_en": bio}
        )
    return speakers


def _event(slug: str, **fields) -> Event:
    organisers = fields.pop("organisers", [])
    translations = fields.pop("texts")
    for field_name, per_language in translations.items():
        for code, text in _in_every_language(per_language).items():
            fields[f"{field_name}_{code}"] = text
    event, _created = Event.objects.update_or_create(
        uuid=uuid.uuid5(DEMO_NAMESPACE, slug), defaults={"slug": slug, **fields}
    )
    event.organisers.set(organisers)
    return event


def _programme(event: Event, items: list[dict], rooms, venue_key: str, speakers) -> None:
    keep = []
    for item in items:
        key = item.pop("key")
        room = item.pop("room", None)
        item_speakers = item.pop("speakers", [])
        texts = item.pop("texts")
        values = item.pop("values", {})
        for field_name, per_language in texts.items():
            for code, text in _in_every_language(per_language, **values).items():
                item[f"{field_name}_{code}"] = text
        item_uuid = uuid.uuid5(DEMO_NAMESPACE, f"{event.slug}:{key}")
        programme_item, _created = ProgrammeItem.objects.update_or_create(
            uuid=item_uuid,
            defaults={
                "event": event,
                "room": rooms[(venue_key, room)] if room else None,
                **item,
            },
        )
        programme_item.speakers.set([speakers[name] for name in item_speakers])
        keep.append(item_uuid)
    ProgrammeItem.objects.filter(event=event).exclude(uuid__in=keep).delete()


def _network() -> None:
    """The network's identity as a superuser would set it: contact and footer (no logo)."""
    NetworkIdentity.objects.update_or_create(
        pk=1,
        defaults={
            "name": "Rencontres",
            "email": "contact@rencontres.example",
            "postal_address": "Le Fil, 20 boulevard Thiers\n42000 Saint-Étienne, France",
            "website": "https://rencontres.example",
            "footer_en": "Meetings and trainings of a European network of youth and "
            "community organisations.",
            "footer_fr": "Rencontres et formations d’un réseau européen d’associations de "
            "jeunesse et d’éducation populaire.",
            "footer_ro": "Întâlnirile și formările unei rețele europene de organizații de "
            "tineret și comunitare.",
            "footer_hu": "Ifjúsági és közösségi szervezetek európai hálózatának találkozói "
            "és képzései.",
            "footer_pt": "Encontros e formações de uma rede europeia de organizações de "
            "juventude e comunitárias.",
            "footer_it": "Incontri e formazioni di una rete europea di organizzazioni "
            "giovanili e di comunità.",
        },
    )


def _slot(day: date, start: str, end: str, tz: str) -> dict:
    return {"starts_at": _local(day, start, tz), "ends_at": _local(day, end, tz)}


def _national_meeting(today, organisations, venues, rooms, speakers, organiser):
    tz = "Europe/Paris"
    d1 = today + timedelta(days=30)
    d2 = d1 + timedelta(days=1)
    event = _event(
        "rencontres-nationales-saint-etienne",
        kind=Event.Kind.NATIONAL_MEETING,
        status=Event.Status.PUBLISHED,
        host=organisations["le-fil"],
        venue=venues["le-fil"],
        timezone=tz,
        starts_at=_local(d1, "09:00", tz),
        ends_at=_local(d2, "13:00", tz),
        registration_opens_at=timezone.now() - timedelta(days=20),
        registration_closes_at=_local(d1 - timedelta(days=3), "23:59", tz),
        contact_email="rencontres@lefil.example",
        capacity=250,
        default_language="fr",
        languages=["fr"],
        organisers=[organiser],
        texts={
            "title": {
                "fr": "Culture et développement territorial : construire les coopérations",
                "en": "Culture and territorial development: building cooperation",
            },
            "summary": {
                "fr": "Deux journées de rencontres nationales pour avancer sur des modèles "
                "économiques alternatifs fondés sur la coopération en matière de culture.",
                "en": "Two days of national meetings on alternative economic models "
                "built on cooperation in culture.",
            },
            "description": {
                "fr": "À partir d'une analyse approfondie d'expériences de coopérations "
                "(le cluster Culture & Coopération à Saint-Étienne, Les Articulteurs à "
                "Redon…), ces rencontres rassemblent des acteurs artistiques et culturels, "
                "des élu·es, des technicien·nes des collectivités territoriales et des "
                "universitaires.\n\nOrganisées avec Le Fil, Culture & Coopération, la CRESS, "
                "Opale / Cnar Culture et l'UFISC.",
                "en": "Starting from a close look at experiences of cooperation (the Culture "
                "& Coopération cluster in Saint-Étienne, Les Articulteurs in Redon…), these "
                "meetings bring together artists and cultural organisations, elected "
                "representatives, local authority staff and researchers.\n\nOrganised with "
                "Le Fil, Culture & Coopération, the CRESS, Opale / Cnar Culture and UFISC.",
                "ro": "Pornind de la o analiză aprofundată a unor experiențe de cooperare "
                "(clusterul Culture & Coopération din Saint-Étienne, Les Articulteurs din "
                "Redon…), aceste întâlniri reunesc artiști și organizații culturale, aleși "
                "locali, specialiști din administrațiile locale și cercetători.\n\n"
                "Organizate împreună cu Le Fil, Culture & Coopération, CRESS, Opale / Cnar "
                "Culture și UFISC.",
                "hu": "Együttműködési tapasztalatok alapos elemzéséből kiindulva (a "
                "saint-étienne-i Culture & Coopération klaszter, a redoni Les Articulteurs…) "
                "a találkozó művészeket és kulturális szervezeteket, választott képviselőket, "
                "önkormányzati szakembereket és kutatókat hoz össze.\n\nSzervezők: Le Fil, "
                "Culture & Coopération, CRESS, Opale / Cnar Culture és UFISC.",
                "pt": "Partindo de uma análise aprofundada de experiências de cooperação (o "
                "cluster Culture & Coopération em Saint-Étienne, Les Articulteurs em Redon…), "
                "estes encontros reúnem agentes artísticos e culturais, eleitos locais, "
                "técnicos das autarquias e investigadores.\n\nOrganizados com Le Fil, "
                "Culture & Coopération, a CRESS, Opale / Cnar Culture e a UFISC.",
                "it": "A partire da un’analisi approfondita di esperienze di cooperazione (il "
                "cluster Culture & Coopération a Saint-Étienne, Les Articulteurs a Redon…), "
                "questi incontri riuniscono operatori artistici e culturali, amministratori "
                "locali, tecnici degli enti territoriali e ricercatori.\n\nOrganizzati con "
                "Le Fil, Culture & Coopération, la CRESS, Opale / Cnar Culture e l’UFISC.",
            },
        },
    )
    workshop = ProgrammeItem.Kind.WORKSHOP
    items = [
        {
            "key": "accueil",
            "kind": ProgrammeItem.Kind.BREAK,
            "room": "Grande salle",
            **_slot(d1, "09:00", "09:30", tz),
            "texts": {"title": {"fr": "Accueil café", "en": "Welcome coffee"}},
        },
        {
            "key": "ouverture",
            "kind": ProgrammeItem.Kind.PLENARY,
            "room": "Grande salle",
            **_slot(d1, "09:30", "11:00", tz),
            "language": "fr",
            "speakers": ["Grégoire Pateau", "Patricia Coelho"],
            "texts": {
                "title": {
                    "fr": "Plénière d'ouverture : pourquoi coopérer ?",
                    "en": "Opening plenary: why cooperate?",
                }
            },
        },
        {
            "key": "atelier-emploi",
            "kind": workshop,
            "room": "Club",
            "capacity": 60,
            **_slot(d1, "11:15", "12:45", tz),
            "language": "fr",
            "texts": {
                "title": {
                    "fr": "Atelier 1 : mutualiser l'emploi",
                    "en": "Workshop 1: sharing jobs between organisations",
                }
            },
        },
        {
            "key": "atelier-lieux",
            "kind": workshop,
            "room": "Salle Jazz",
            "capacity": 50,
            **_slot(d1, "11:15", "12:45", tz),
            "language": "fr",
            "texts": {
                "title": {
                    "fr": "Atelier 2 : lieux partagés et tiers-lieux",
                    "en": "Workshop 2: shared places and third places",
                }
            },
        },
        {
            "key": "atelier-collectivites",
            "kind": workshop,
            "room": "Salle de réunion",
            "capacity": 40,
            **_slot(d1, "11:15", "12:45", tz),
            "language": "fr",
            "texts": {
                "title": {
                    "fr": "Atelier 3 : coopérer avec les collectivités",
                    "en": "Workshop 3: cooperating with local authorities",
                }
            },
        },
        {
            "key": "dejeuner-1",
            "kind": ProgrammeItem.Kind.MEAL,
            "location": "Foyer",
            **_slot(d1, "12:45", "14:00", tz),
            "texts": {"title": {"fr": "Déjeuner", "en": "Lunch"}},
        },
        {
            "key": "table-ronde",
            "kind": ProgrammeItem.Kind.PLENARY,
            "room": "Grande salle",
            **_slot(d1, "14:00", "15:45", tz),
            "language": "fr",
            "speakers": ["Jason Nardi"],
            "texts": {
                "title": {
                    "fr": "Table ronde : économie solidaire et culture",
                    "en": "Round table: solidarity economy and culture",
                }
            },
        },
        {
            "key": "visite",
            "kind": ProgrammeItem.Kind.SITE_VISIT,
            "location": "Cluster Culture & Coopération",
            **_slot(d1, "16:00", "18:00", tz),
            "texts": {
                "title": {
                    "fr": "Visite du cluster Culture & Coopération",
                    "en": "Visit of the Culture & Coopération cluster",
                }
            },
        },
        {
            "key": "diner",
            "kind": ProgrammeItem.Kind.MEAL,
            "location": "Le Fil, bar",
            **_slot(d1, "19:30", "22:00", tz),
            "texts": {"title": {"fr": "Dîner et concert", "en": "Dinner and concert"}},
        },
        {
            "key": "atelier-financement",
            "kind": workshop,
            "room": "Club",
            "capacity": 60,
            **_slot(d2, "09:30", "11:00", tz),
            "language": "fr",
            "texts": {
                "title": {
                    "fr": "Atelier 4 : financements croisés",
                    "en": "Workshop 4: combining funding",
                }
            },
        },
        {
            "key": "atelier-gouvernance",
            "kind": workshop,
            "room": "Salle Jazz",
            "capacity": 50,
            **_slot(d2, "09:30", "11:00", tz),
            "language": "fr",
            "texts": {
                "title": {
                    "fr": "Atelier 5 : gouvernance partagée",
                    "en": "Workshop 5: shared governance",
                }
            },
        },
        {
            "key": "synthese",
            "kind": ProgrammeItem.Kind.PLENARY,
            "room": "Grande salle",
            **_slot(d2, "11:15", "12:30", tz),
            "language": "fr",
            "texts": {"title": {"fr": "Plénière de synthèse", "en": "Closing plenary"}},
        },
    ]
    _programme(event, items, rooms, "le-fil", speakers)
    return event


def _training(
    today,
    slug,
    *,
    offset,
    days,
    tz,
    host,
    venue_key,
    capacity,
    languages,
    default_language,
    texts,
    organisers,
    organisations,
    venues,
    rooms,
    speakers,
    room_names,
    trainers,
    status=Event.Status.PUBLISHED,
):
    first = today + timedelta(days=offset)
    last = first + timedelta(days=days - 1)
    event = _event(
        slug,
        kind=Event.Kind.TRAINING,
        status=status,
        host=organisations[host],
        venue=venues[venue_key],
        timezone=tz,
        starts_at=_local(first, "09:00", tz),
        ends_at=_local(last, "17:00", tz),
        registration_opens_at=_local(first - timedelta(days=max(offset, 0) + 60), "09:00", tz),
        registration_closes_at=_local(first - timedelta(days=7), "23:59", tz),
        capacity=capacity,
        default_language=default_language,
        languages=languages,
        organisers=organisers,
        texts=texts,
    )
    main, room_a, room_b = room_names[:3]
    items = []
    for number in range(days):
        day = first + timedelta(days=number)
        n = number + 1
        items += [
            {
                "key": f"morning-{n}",
                "kind": ProgrammeItem.Kind.PLENARY,
                "room": main,
                **_slot(day, "09:00", "10:45", tz),
                "language": "en",
                "speakers": trainers[:1],
                "values": {"n": n},
                "texts": {"title": {"en": "Day {n}: peer-to-peer session"}},
            },
            {
                "key": f"workshop-a-{n}",
                "kind": ProgrammeItem.Kind.WORKSHOP,
                "room": room_a,
                "capacity": capacity // 2,
                **_slot(day, "11:00", "12:30", tz),
                "language": "en",
                "values": {"n": n},
                "texts": {"title": {"en": "Workshop A{n}: mapping local cooperation"}},
            },
            {
                "key": f"workshop-b-{n}",
                "kind": ProgrammeItem.Kind.WORKSHOP,
                "room": room_b,
                "capacity": capacity // 2,
                **_slot(day, "11:00", "12:30", tz),
                "language": default_language,
                "speakers": trainers[1:2],
                "values": {"n": n},
                "texts": {"title": {"en": "Workshop B{n}: tools for shared governance"}},
            },
            {
                "key": f"lunch-{n}",
                "kind": ProgrammeItem.Kind.MEAL,
                **_slot(day, "12:30", "14:00", tz),
                "texts": {"title": {"en": "Lunch"}},
            },
            {
                "key": f"visit-{n}",
                "kind": ProgrammeItem.Kind.SITE_VISIT,
                "location": texts["title"]["en"].split(" in ")[-1],
                **_slot(day, "14:00", "17:00", tz),
                "texts": {"title": {"en": "Field visit to a local cooperation"}},
            },
        ]
    _programme(event, items, rooms, venue_key, speakers)
    return event


@transaction.atomic
def load(today: date | None = None) -> list[DemoLogin]:
    today = today or timezone.localdate()
    users = _users()
    organiser = users["organiser@rencontres.example"]
    organisations = _organisations(users)
    venues, rooms = _venues(organisations)
    speakers = _speakers(organisations)
    common = {
        "organisations": organisations,
        "venues": venues,
        "rooms": rooms,
        "speakers": speakers,
    }

    _network()
    _national_meeting(today, organisations, venues, rooms, speakers, organiser)
    _training(
        today,
        "coopterr-training-timisoara",
        offset=45,
        days=4,
        tz="Europe/Bucharest",
        host="cries",
        venue_key="cries",
        capacity=30,
        languages=["en", "ro", "fr"],
        default_language="en",
        organisers=[organiser],
        room_names=["Sala mare", "Atelier 1", "Atelier 2"],
        trainers=["Mihaela Vețan", "Lucia Ferri"],
        texts={
            "title": {
                "en": "Territorial cooperation training in Timișoara",
                "fr": "Formation à la coopération territoriale à Timișoara",
                "ro": "Formare în cooperare teritorială la Timișoara",
            },
            "summary": {
                "en": "Four days of field training and peer-to-peer learning hosted "
                "by CRIES, with delegations from the six partners.",
                "ro": "Patru zile de formare pe teren și învățare între egali, găzduite de CRIES.",
                "fr": "Quatre jours de formation de terrain et d'apprentissage entre "
                "pairs, accueillis par CRIES.",
            },
        },
        **common,
    )
    _training(
        today,
        "coopterr-training-nagyvazsony",
        offset=75,
        days=4,
        tz="Europe/Budapest",
        host="fekete-sereg",
        venue_key="nagyvazsony",
        capacity=70,
        languages=["en", "hu", "fr"],
        default_language="en",
        organisers=[organiser],
        room_names=["Nagyterem", "Műhely A", "Műhely B"],
        trainers=["Rita Kandikó", "Patricia Coelho"],
        texts={
            "title": {
                "en": "Culture and territorial cohesion training in Nagyvázsony",
                "hu": "Kultúra és területi kohézió képzés Nagyvázsonyban",
                "fr": "Formation culture et cohésion territoriale à Nagyvázsony",
            },
            "summary": {
                "en": "Around seventy people from organisations working with culture "
                "and territorial cohesion meet in Nagyvázsony.",
                "hu": "Mintegy hetven résztvevő érkezik Nagyvázsonyba a kultúra és a "
                "területi kohézió terén dolgozó szervezetektől.",
            },
        },
        **common,
    )
    _training(
        today,
        "coopterr-training-lisbon",
        offset=-150,
        days=4,
        tz="Europe/Lisbon",
        host="largo-residencias",
        venue_key="largo",
        capacity=30,
        languages=["en", "pt"],
        default_language="en",
        organisers=[organiser],
        room_names=["Sala do Largo", "Oficina", "Pátio"],
        trainers=["Marta Silva"],
        texts={
            "title": {
                "en": "Shared places training in Lisbon",
                "pt": "Formação sobre espaços partilhados em Lisboa",
            }
        },
        **common,
    )
    _training(
        today,
        "coopterr-luxembourg-draft",
        offset=120,
        days=3,
        tz="Europe/Luxembourg",
        host="ripess-europe",
        venue_key="maison-des-reseaux",
        capacity=25,
        languages=["en", "fr"],
        default_language="en",
        organisers=[organiser],
        room_names=["Salle principale", "Salle A", "Salle B"],
        trainers=["Jason Nardi"],
        status=Event.Status.DRAFT,
        texts={
            "title": {
                "en": "Solidarity economy networks (draft)",
                "fr": "Réseaux d'économie solidaire (brouillon)",
            }
        },
        **common,
    )

    tz = "Europe/Paris"
    closing_day = today + timedelta(days=60)
    closing = _event(
        "coopterr-closing-event-paris",
        kind=Event.Kind.PROJECT_MEETING,
        status=Event.Status.PUBLISHED,
        host=organisations["ufisc"],
        venue=venues["maison-des-reseaux"],
        timezone=tz,
        starts_at=_local(closing_day, "16:30", tz),
        ends_at=_local(closing_day, "18:30", tz),
        capacity=80,
        default_language="en",
        languages=["en", "fr"],
        organisers=[organiser],
        texts={
            "title": {
                "en": "Final event of the COOPTERR project",
                "fr": "Événement de clôture du projet COOPTERR",
            },
            "summary": {
                "en": "Presentation of the results of COOPTERR with our European "
                "partners: cultural rights and territorial cooperation.",
                "fr": "Présentation des résultats de COOPTERR en présence de nos "
                "partenaires européens : droits culturels et coopération "
                "territoriale.",
            },
        },
    )
    _programme(
        closing,
        [
            {
                "key": "results",
                "kind": ProgrammeItem.Kind.PLENARY,
                "room": "Salle principale",
                **_slot(closing_day, "16:30", "17:30", tz),
                "language": "en",
                "speakers": ["Patricia Coelho", "Mihaela Vețan", "Rita Kandikó"],
                "texts": {
                    "title": {
                        "en": "Feedback on the objectives of COOPTERR",
                        "fr": "Retour sur les objectifs de COOPTERR",
                    }
                },
            },
            {
                "key": "discussion",
                "kind": ProgrammeItem.Kind.PLENARY,
                "room": "Salle principale",
                **_slot(closing_day, "17:30", "18:30", tz),
                "language": "fr",
                "texts": {"title": {"en": "Open discussion", "fr": "Discussion ouverte"}},
            },
        ],
        rooms,
        "maison-des-reseaux",
        speakers,
    )

    online_day = today + timedelta(days=10)
    _event(
        "coopterr-coordination-online",
        kind=Event.Kind.ONLINE,
        status=Event.Status.PUBLISHED,
        host=organisations["ripess-europe"],
        venue=None,
        online_url="https://meet.example.org/coopterr-coordination",
        timezone="Europe/Luxembourg",
        starts_at=_local(online_day, "10:00", "Europe/Luxembourg"),
        ends_at=_local(online_day, "12:00", "Europe/Luxembourg"),
        capacity=20,
        default_language="en",
        languages=["en"],
        organisers=[organiser],
        texts={
            "title": {
                "en": "Partners' coordination meeting (online)",
                "fr": "Réunion de coordination des partenaires (en ligne)",
            }
        },
    )

    rome_day = today - timedelta(days=240)
    _event(
        "coopterr-transnational-meeting-rome",
        kind=Event.Kind.PROJECT_MEETING,
        status=Event.Status.PUBLISHED,
        host=organisations["solidarius-italia"],
        venue=venues["roma"],
        timezone="Europe/Rome",
        starts_at=_local(rome_day, "09:30", "Europe/Rome"),
        ends_at=_local(rome_day + timedelta(days=1), "16:00", "Europe/Rome"),
        capacity=20,
        default_language="it",
        languages=["it", "en"],
        organisers=[organiser],
        texts={
            "title": {
                "it": "Riunione transnazionale dei partner a Roma",
                "en": "Transnational partners' meeting in Rome",
            }
        },
    )

    return [
        DemoLogin("administrator", "admin@rencontres.example", DEMO_PASSWORD),
        DemoLogin("organiser", "organiser@rencontres.example", DEMO_PASSWORD),
        DemoLogin(
            "partner coordinator (CRIES, RO)", "coordinator.ro@rencontres.example", DEMO_PASSWORD
        ),
        DemoLogin("participant", "participant@rencontres.example", DEMO_PASSWORD),
    ]
