"""Demo data of the network directory: the six partners of the demo network listed, with
their coordinates, field of work and short description in the six languages.

The organisations themselves come from the events demo (found here by their slugs);
``load()`` only fills their directory entries, and running it again changes nothing.
"""

from decimal import Decimal

from events.models import Organisation

SOLIDARITY_ECONOMY = {
    "en": "Solidarity economy",
    "fr": "Économie solidaire",
    "ro": "Economie solidară",
    "hu": "Szolidáris gazdaság",
    "pt": "Economia solidária",
    "it": "Economia solidale",
}
CULTURE = {
    "en": "Culture and the arts",
    "fr": "Culture et arts",
    "ro": "Cultură și arte",
    "hu": "Kultúra és művészetek",
    "pt": "Cultura e artes",
    "it": "Cultura e arti",
}
YOUTH = {
    "en": "Youth work",
    "fr": "Jeunesse et éducation populaire",
    "ro": "Lucrul cu tinerii",
    "hu": "Ifjúsági munka",
    "pt": "Trabalho com jovens",
    "it": "Animazione socioeducativa",
}

#: slug -> (latitude, longitude, field of work, description per language)
ENTRIES = {
    "cries": (
        Decimal("45.748900"),
        Decimal("21.208700"),
        SOLIDARITY_ECONOMY,
        {
            "en": "A resource centre in Timișoara for ethical and solidarity initiatives: "
            "training, local food networks and support for citizens' projects.",
            "fr": "Un centre de ressources à Timișoara pour les initiatives éthiques et "
            "solidaires\u00a0: formations, circuits alimentaires locaux et accompagnement des "
            "projets citoyens.",
            "ro": "Un centru de resurse din Timișoara pentru inițiative etice și solidare: "
            "formare, rețele alimentare locale și sprijin pentru proiectele cetățenilor.",
            "hu": "Temesvári forrásközpont az etikus és szolidáris kezdeményezésekért: "
            "képzések, helyi élelmiszerhálózatok és a polgári projektek támogatása.",
            "pt": "Um centro de recursos em Timișoara para iniciativas éticas e solidárias: "
            "formação, redes alimentares locais e apoio a projetos de cidadãos.",
            "it": "Un centro di risorse a Timișoara per le iniziative etiche e solidali: "
            "formazione, reti alimentari locali e sostegno ai progetti dei cittadini.",
        },
    ),
    "fekete-sereg": (
        Decimal("46.983300"),
        Decimal("17.700000"),
        YOUTH,
        {
            "en": "A youth association in Nagyvázsony that brings culture, camps and "
            "international exchanges to the villages of the Balaton uplands.",
            "fr": "Une association de jeunesse à Nagyvázsony qui fait vivre la culture, les "
            "camps et les échanges internationaux dans les villages des hauteurs du Balaton.",
            "ro": "O asociație de tineret din Nagyvázsony care aduce cultură, tabere și "
            "schimburi internaționale în satele de pe malul nordic al lacului Balaton.",
            "hu": "Nagyvázsonyi ifjúsági egyesület, amely kultúrát, táborokat és nemzetközi "
            "cseréket visz a Balaton-felvidék falvaiba.",
            "pt": "Uma associação juvenil de Nagyvázsony que leva cultura, campos de férias e "
            "intercâmbios internacionais às aldeias do planalto do Balaton.",
            "it": "Un’associazione giovanile di Nagyvázsony che porta cultura, campi e scambi "
            "internazionali nei villaggi dell’altopiano del Balaton.",
        },
    ),
    "largo-residencias": (
        Decimal("38.722300"),
        Decimal("-9.135500"),
        CULTURE,
        {
            "en": "A cultural cooperative in Lisbon's Intendente district: artists' "
            "residencies, a hostel and a café that fund work with the neighbourhood.",
            "fr": "Une coopérative culturelle du quartier de l’Intendente à Lisbonne\u00a0: "
            "résidences d’artistes, auberge et café qui financent le travail avec le quartier.",
            "ro": "O cooperativă culturală din cartierul Intendente din Lisabona: rezidențe "
            "artistice, un hostel și o cafenea care finanțează munca sa comunitară din cartier.",
            "hu": "Kulturális szövetkezet Lisszabon Intendente negyedében: művészrezidenciák, "
            "hostel és kávézó, amelyek a környék közösségi munkáját finanszírozzák.",
            "pt": "Uma cooperativa cultural no Intendente, em Lisboa: residências artísticas, "
            "um hostel e um café que financiam o trabalho com o bairro.",
            "it": "Una cooperativa culturale nel quartiere Intendente di Lisbona: residenze "
            "d’artista, un ostello e un caffè che finanziano il lavoro con il quartiere.",
        },
    ),
    "solidarius-italia": (
        Decimal("41.893300"),
        Decimal("12.482900"),
        SOLIDARITY_ECONOMY,
        {
            "en": "A Rome-based network that links solidarity economy initiatives across "
            "Italy and trains people to build them.",
            "fr": "Un réseau basé à Rome qui relie les initiatives d’économie solidaire en "
            "Italie et forme celles et ceux qui les construisent.",
            "ro": "O rețea cu sediul la Roma care leagă inițiativele de economie solidară din "
            "Italia și formează oamenii care le dau viață.",
            "hu": "Római székhelyű hálózat, amely összeköti az olaszországi szolidáris "
            "gazdasági kezdeményezéseket, és képzi azokat, akik létrehozzák őket.",
            "pt": "Uma rede sediada em Roma que liga iniciativas de economia solidária em "
            "Itália e forma as pessoas que as constroem.",
            "it": "Una rete con sede a Roma che collega le iniziative di economia solidale in "
            "Italia e forma le persone che le costruiscono.",
        },
    ),
    "ripess-europe": (
        Decimal("49.611600"),
        Decimal("6.131900"),
        SOLIDARITY_ECONOMY,
        {
            "en": "The European network of social and solidarity economy: national and "
            "sector networks sharing practice and speaking up for it in Europe.",
            "fr": "Le réseau européen de l’économie sociale et solidaire\u00a0: des réseaux "
            "nationaux et sectoriels qui partagent leurs pratiques et les défendent en Europe.",
            "ro": "Rețeaua europeană a economiei sociale și solidare: rețele naționale și "
            "sectoriale care își pun în comun practicile și le susțin la nivel european.",
            "hu": "A szociális és szolidáris gazdaság európai hálózata: nemzeti és ágazati "
            "hálózatok, amelyek megosztják gyakorlataikat, és kiállnak értük Európában.",
            "pt": "A rede europeia da economia social e solidária: redes nacionais e "
            "setoriais que partilham práticas e as defendem na Europa.",
            "it": "La rete europea dell’economia sociale e solidale: reti nazionali e di "
            "settore che condividono pratiche e le sostengono in Europa.",
        },
    ),
    "ufisc": (
        Decimal("48.856600"),
        Decimal("2.352200"),
        CULTURE,
        {
            "en": "A French federation of artistic and cultural organisations working for "
            "cultural rights and a solidarity economy of the arts.",
            "fr": "Une fédération française d’organisations artistiques et culturelles "
            "engagée pour les droits culturels et une économie solidaire de l’art.",
            "ro": "O federație franceză de organizații artistice și culturale care acționează "
            "pentru drepturile culturale și o economie solidară a artelor.",
            "hu": "Művészeti és kulturális szervezetek francia szövetsége, amely a kulturális "
            "jogokért és a művészetek szolidáris gazdaságáért dolgozik.",
            "pt": "Uma federação francesa de organizações artísticas e culturais empenhada "
            "nos direitos culturais e numa economia solidária das artes.",
            "it": "Una federazione francese di organizzazioni artistiche e culturali impegnata "
            "per i diritti culturali e un’economia solidale delle arti.",
        },
    ),
}


def load() -> None:
    for slug, (latitude, longitude, field_of_work, description) in ENTRIES.items():
        fields = {"listed": True, "latitude": latitude, "longitude": longitude}
        for code, text in field_of_work.items():
            fields[f"field_of_work_{code}"] = text
        for code, text in description.items():
            fields[f"description_{code}"] = text
        Organisation.objects.filter(slug=slug).update(**fields)
