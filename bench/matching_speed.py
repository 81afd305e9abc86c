"""Speed and memory benchmark of the matching engine, plus the synthetic event generator.

Run::

    .venv/bin/python -m bench.matching_speed [--sizes 1000,5000,20000,100000] [--refreshes 50]
        [--refresh-sizes 5000,100000] [--repeat 3]

Each size runs in its own subprocess so that peak RSS (``resource.getrusage`` maxrss of the
child) is that size's alone; the table also shows the CPU seconds of the run (all threads) and
the machine's 1-minute load average before and after it (shared machines inflate wall times;
``--repeat`` keeps the fastest of several runs). The generator below is also used by ``bench.matching_quality
--synthetic`` to build a small development set; it is deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Any

from app.matching import ENGINE_VERSION, MatchingEngine
from app.matching.types import OpportunityText, ParticipantRecord

# --------------------------------------------------------------------------------------------
# Synthetic vocabulary: topics with phrases in several languages (Romanian with both the
# comma-below and the legacy cedilla diacritics), generic business words, and a long tail of
# pseudo-words (names, products, places) so the vocabulary is as wide as a real event's.
# --------------------------------------------------------------------------------------------

TOPICS: dict[str, dict[str, Any]] = {
    "cybersecurity": {
        "sector": "ict",
        "en": [
            "cybersecurity audits",
            "penetration testing",
            "security operations centre",
            "data protection compliance",
            "secure cloud infrastructure",
        ],
        "ro": [
            "securitate cibernetică",
            "audit de securitate",
            "protecția datelor",
            "infrastructură cloud securizată",
            "testare de penetrare",
        ],
        "xx": ["cybersécurité", "Cybersicherheit", "sicurezza informatica", "ciberseguridad"],
    },
    "ai": {
        "sector": "ict",
        "en": [
            "artificial intelligence",
            "machine learning models",
            "computer vision",
            "natural language processing",
            "predictive analytics",
        ],
        "ro": [
            "inteligență artificială",
            "învățare automată",
            "viziune computerizată",
            "analiză predictivă",
            "modele de date",
        ],
        "xx": [
            "intelligence artificielle",
            "künstliche Intelligenz",
            "intelligenza artificiale",
            "aprendizaje automático",
        ],
    },
    "digitalisation": {
        "sector": "ict",
        "en": [
            "digitalisation of SMEs",
            "digital transformation",
            "digitalization roadmap",
            "ERP integration",
            "industry 4.0 software",
        ],
        "ro": [
            "digitalizare IMM",
            "transformare digitală",
            "digitalizarea proceselor",
            "integrare ERP",
            "soluții software industria 4.0",
        ],
        "xx": ["digitalisation des PME", "Digitalisierung", "digitalizzazione", "digitalización"],
    },
    "iot": {
        "sector": "ict",
        "en": [
            "internet of things sensors",
            "IoT platform",
            "embedded systems",
            "wireless sensor networks",
            "edge computing",
        ],
        "ro": ["senzori IoT", "platformă IoT", "sisteme încorporate", "rețele de senzori", "monitorizare inteligentă"],
        "xx": ["capteurs connectés", "eingebettete Systeme", "sensori intelligenti", "internet de las cosas"],
    },
    "precision_agri": {
        "sector": "agrifood",
        "en": [
            "precision agriculture",
            "smart farming drones",
            "soil monitoring",
            "irrigation management",
            "crop yield prediction",
        ],
        "ro": [
            "agricultură de precizie",
            "drone agricole",
            "monitorizarea solului",
            "management irigații",
            "fermă inteligentă",
        ],
        "xx": [
            "agriculture de précision",
            "Präzisionslandwirtschaft",
            "agricoltura di precisione",
            "agricultura de precisión",
        ],
    },
    "food_processing": {
        "sector": "agrifood",
        "en": [
            "food processing",
            "dairy products",
            "food safety certification",
            "organic bakery",
            "cold chain logistics",
        ],
        "ro": [
            "procesare alimentară",
            "produse lactate",
            "siguranța alimentară",
            "panificație ecologică",
            "lanț frigorific",
        ],
        "xx": [
            "transformation alimentaire",
            "Lebensmittelverarbeitung",
            "sicurezza alimentare",
            "industria alimentaria",
        ],
    },
    "renewables": {
        "sector": "energy",
        "en": [
            "renewable energy",
            "solar photovoltaic parks",
            "wind turbines maintenance",
            "energy storage batteries",
            "green hydrogen",
        ],
        "ro": [
            "energie regenerabilă",
            "parcuri fotovoltaice",
            "turbine eoliene",
            "stocarea energiei",
            "hidrogen verde",
        ],
        "xx": ["énergies renouvelables", "erneuerbare Energien", "energia rinnovabile", "energía renovable"],
    },
    "energy_efficiency": {
        "sector": "energy",
        "en": ["energy efficiency of buildings", "energy audits", "heat pumps", "smart grid", "building renovation"],
        "ro": [
            "eficiență energetică",
            "audit energetic",
            "pompe de căldură",
            "rețea inteligentă",
            "renovarea clădirilor",
        ],
        "xx": ["efficacité énergétique", "Energieeffizienz", "efficienza energetica", "eficiencia energética"],
    },
    "medtech": {
        "sector": "health",
        "en": [
            "medical devices",
            "clinical trials",
            "telemedicine platform",
            "diagnostic imaging",
            "wearable health monitoring",
        ],
        "ro": [
            "dispozitive medicale",
            "studii clinice",
            "telemedicină",
            "imagistică medicală",
            "monitorizarea sănătății",
        ],
        "xx": ["dispositifs médicaux", "Medizintechnik", "dispositivi medici", "ensayos clínicos"],
    },
    "biotech": {
        "sector": "health",
        "en": [
            "biotechnology",
            "drug discovery",
            "biopharmaceutical production",
            "genomics laboratory",
            "biomaterials",
        ],
        "ro": [
            "biotehnologie",
            "descoperirea medicamentelor",
            "producție biofarmaceutică",
            "laborator de genomică",
            "biomateriale",
        ],
        "xx": ["biotechnologie", "Biotechnologie", "biotecnologia", "biotecnología"],
    },
    "automotive": {
        "sector": "automotive",
        "en": [
            "automotive components",
            "electric vehicles",
            "battery pack assembly",
            "autonomous driving",
            "injection moulding parts",
        ],
        "ro": [
            "componente auto",
            "vehicule electrice",
            "asamblare baterii",
            "conducere autonomă",
            "piese injectate din plastic",
        ],
        "xx": ["composants automobiles", "Elektrofahrzeuge", "veicoli elettrici", "vehículos eléctricos"],
    },
    "advanced_manufacturing": {
        "sector": "manufacturing",
        "en": [
            "additive manufacturing",
            "3D printing of metal parts",
            "CNC machining",
            "industrial robotics",
            "predictive maintenance",
        ],
        "ro": ["fabricație aditivă", "imprimare 3D", "prelucrare CNC", "robotică industrială", "mentenanță predictivă"],
        "xx": ["fabrication additive", "additive Fertigung", "manifattura additiva", "fabricación aditiva"],
    },
    "textiles": {
        "sector": "textile",
        "en": [
            "technical textiles",
            "sustainable fashion",
            "textile recycling",
            "garment manufacturing",
            "smart fabrics",
        ],
        "ro": [
            "textile tehnice",
            "modă sustenabilă",
            "reciclarea textilelor",
            "confecții îmbrăcăminte",
            "țesături inteligente",
        ],
        "xx": ["textiles techniques", "technische Textilien", "tessili tecnici", "moda sostenible"],
    },
    "wood_furniture": {
        "sector": "wood",
        "en": [
            "furniture design",
            "wood processing",
            "timber construction",
            "sustainable forestry",
            "upholstered furniture",
        ],
        "ro": [
            "design de mobilier",
            "prelucrarea lemnului",
            "construcții din lemn",
            "silvicultură durabilă",
            "mobilier tapițat",
        ],
        "xx": ["ameublement", "Holzverarbeitung", "lavorazione del legno", "industria del mueble"],
    },
    "circular": {
        "sector": "environment",
        "en": [
            "circular economy",
            "waste recycling",
            "plastic upcycling",
            "wastewater treatment",
            "life cycle assessment",
        ],
        "ro": [
            "economie circulară",
            "reciclarea deșeurilor",
            "valorificarea plasticului",
            "tratarea apelor uzate",
            "analiza ciclului de viață",
        ],
        "xx": ["économie circulaire", "Kreislaufwirtschaft", "economia circolare", "economía circular"],
    },
    "tourism": {
        "sector": "tourism",
        "en": [
            "rural tourism",
            "cultural heritage routes",
            "hospitality training",
            "eco tourism packages",
            "destination marketing",
        ],
        "ro": [
            "turism rural",
            "patrimoniu cultural",
            "formare în ospitalitate",
            "ecoturism",
            "promovarea destinațiilor",
        ],
        "xx": ["tourisme rural", "Kulturerbe", "turismo sostenibile", "turismo rural"],
    },
    "creative": {
        "sector": "creative",
        "en": [
            "video game development",
            "animation studio",
            "virtual reality experiences",
            "digital content production",
            "graphic design",
        ],
        "ro": [
            "dezvoltare jocuri video",
            "studio de animație",
            "realitate virtuală",
            "producție de conținut digital",
            "design grafic",
        ],
        "xx": ["jeux vidéo", "Spieleentwicklung", "realtà virtuale", "producción audiovisual"],
    },
    "construction": {
        "sector": "construction",
        "en": [
            "green building materials",
            "BIM modelling",
            "prefabricated houses",
            "thermal insulation",
            "infrastructure engineering",
        ],
        "ro": [
            "materiale de construcții ecologice",
            "modelare BIM",
            "case prefabricate",
            "izolație termică",
            "inginerie de infrastructură",
        ],
        "xx": ["bâtiment durable", "Bauwesen", "edilizia sostenibile", "construcción sostenible"],
    },
    "logistics": {
        "sector": "logistics",
        "en": [
            "freight logistics",
            "warehouse automation",
            "last mile delivery",
            "supply chain optimisation",
            "intermodal transport",
        ],
        "ro": [
            "logistică de marfă",
            "automatizarea depozitelor",
            "livrare ultimul kilometru",
            "optimizarea lanțului de aprovizionare",
            "transport intermodal",
        ],
        "xx": ["logistique", "Lagerautomatisierung", "logistica integrata", "cadena de suministro"],
    },
    "funding": {
        "sector": "finance",
        "en": [
            "venture capital investment",
            "seed funding for startups",
            "EU project funding",
            "Horizon Europe proposal writing",
            "business angels",
        ],
        "ro": [
            "investiții de capital de risc",
            "finanțare startup",
            "finanțare europeană",
            "scriere de proiecte Horizon Europe",
            "investitori privați",
        ],
        "xx": ["capital-risque", "Risikokapital", "finanziamenti europei", "capital riesgo"],
    },
}

GENERIC_EN = (
    "company services solutions partners experience market clients quality team products "
    "development international cooperation network projects innovation support expertise "
    "customers european regional industry business technology growth sustainable years "
    "provide offering focus members strategy professional management training value new "
    "looking opportunities collaboration competitive excellence portfolio certified leading"
).split()
GENERIC_RO = (
    "firma servicii soluții parteneri experiență piață clienți calitate echipă produse "
    "dezvoltare internațională cooperare rețea proiecte inovare sprijin expertiză companie "
    "europeană regională industrie afaceri tehnologie creștere durabilă ani oferim membri "
    "strategie profesională management instruire valoare oportunități colaborare competitivă"
).split()
KIND_DESC = {
    "company": ("SME", "IMM"),
    "cluster": ("cluster organisation", "cluster de inovare"),
    "university": ("university", "universitate"),
    "research": ("research institute", "institut de cercetare"),
    "public_authority": ("regional authority", "agenție de dezvoltare regională"),
    "investor": ("investment fund", "fond de investiții"),
    "other": ("association", "asociație"),
}
KINDS = (
    ["company"] * 45
    + ["cluster"] * 15
    + ["university"] * 12
    + ["research"] * 10
    + ["public_authority"] * 10
    + ["investor"] * 3
    + ["other"] * 5
)
COUNTRIES = ["RO"] * 40 + ["BG", "HU", "MD", "PL", "IT", "ES", "FR", "DE", "AT", "GR", "PT", "SK", "SI", "HR"] * 4
SYLLABLES = (
    "ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge go la le li lo lu "
    "ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so ta te ti to "
    "tu va ve vi vo za ze zo tra tre pro stra ex in on an el ar or ur"
).split()
_CEDILLA = str.maketrans({"ș": "ş", "ț": "ţ", "Ș": "Ş", "Ț": "Ţ"})


def _pseudo_words(rng: random.Random, count: int) -> list[str]:
    """Deterministic made-up words for the long tail (names, brands, places)."""
    words = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(count)}
    return sorted(words)


class _Writer:
    """Draws phrases for one synthetic event from a seeded random generator."""

    def __init__(self, rng: random.Random, tail_size: int) -> None:
        self.rng = rng
        self.tail = _pseudo_words(rng, tail_size)
        # Zipf-like weights over the long tail: a few names are common, most are rare.
        self.tail_cumulative = list(itertools.accumulate(1.0 / (i + 1) ** 1.05 for i in range(len(self.tail))))

    def tail_words(self, k: int) -> list[str]:
        return self.rng.choices(self.tail, cum_weights=self.tail_cumulative, k=k)

    def phrase(self, topic: str, lang: str) -> str:
        bank = TOPICS[topic]["ro" if lang == "ro" else "en"]
        text = str(self.rng.choice(bank))
        if lang == "ro" and self.rng.random() < 0.3:
            text = text.translate(_CEDILLA)  # legacy cedilla forms still circulate
        if self.rng.random() < 0.15:
            text += " " + str(self.rng.choice(TOPICS[topic]["xx"]))
        return text

    def generic(self, lang: str, k: int) -> str:
        return " ".join(self.rng.choices(GENERIC_RO if lang == "ro" else GENERIC_EN, k=k))

    def opportunity(self, topic: str, lang: str, offer: bool) -> dict[str, str]:
        main, extra = self.phrase(topic, lang), self.phrase(topic, lang)
        if lang == "ro":
            lead = "Oferim" if offer else "Căutăm parteneri pentru"
        else:
            lead = "We offer" if offer else "We are looking for partners in"
        description = f"{lead} {main} and {extra}. {self.generic(lang, 8)}"
        return {
            "title": main[:1].upper() + main[1:],
            "description": description,
            "type": self.rng.choice(["technology", "business_partnership", "rd_cooperation"]),
        }

    def profile(self, org: str, kind: str, lang: str, topics: Sequence[str]) -> str:
        desc = KIND_DESC[kind][1 if lang == "ro" else 0]
        parts = [f"{org} is a {desc}." if lang != "ro" else f"{org} este o {desc}."]
        for topic in topics:
            parts.append(self.phrase(topic, lang) + ", " + self.phrase(topic, lang) + ".")
            parts.append(self.generic(lang, 14))
        parts.append(" ".join(self.tail_words(10)))
        words = " ".join(parts).split()
        while len(words) < 85:
            words += self.generic(lang, 10).split()
        return " ".join(words[:95])


def synthetic_event(n: int, seed: int = 7, plant: bool = True) -> dict[str, Any]:
    """Build an event in the evaluation-set JSON format.

    Parameters
    ----------
    n:
        Number of participants.
    seed:
        Random seed; the same seed gives the same event.
    plant:
        When true, about a third of the participants get a planted complementary partner
        (grade 2: one's request is the other's offer, often in another language), and pairs
        whose request and offer share a topic are marked grade 1.

    Returns
    -------
    dict
        ``{"name", "participants", "relevance"}`` as described in ``bench/README-matching.md``.

    Example
    -------
    >>> len(synthetic_event(10)["participants"])
    10
    """
    rng = random.Random(seed)
    writer = _Writer(rng, tail_size=max(2000, 3 * n))
    topic_names = sorted(TOPICS)
    people: list[dict[str, Any]] = []
    wants: list[tuple[str, ...]] = []
    has: list[tuple[str, ...]] = []
    org_count = max(1, int(n * 0.85))
    for i in range(n):
        org_no = rng.randrange(org_count)
        org_rng = random.Random(seed * 1_000_003 + org_no)
        kind, country = org_rng.choice(KINDS), org_rng.choice(COUNTRIES)
        lang = "ro" if country == "RO" and rng.random() < 0.6 else "en"
        home = org_rng.choice(topic_names)
        near = [t for t in topic_names if TOPICS[t]["sector"] == TOPICS[home]["sector"]]
        offer_topics = tuple(rng.choice(near) for _ in range(rng.randint(1, 3)))
        request_topics = tuple(rng.choice(topic_names) for _ in range(rng.randint(1, 3)))
        org = "Org" + "".join(org_rng.choice(SYLLABLES) for _ in range(3)).capitalize()
        people.append(
            {
                "id": f"p{i:06d}",
                "organisation": org,
                "organisation_kind": kind,
                "country": country,
                "sectors": sorted({TOPICS[t]["sector"] for t in (home, *offer_topics)}),
                "languages": ["ro", "en"] if country == "RO" else ["en"],
                "profile": writer.profile(org, kind, lang, (home, offer_topics[0])),
                "offers": [writer.opportunity(t, lang, True) for t in offer_topics],
                "requests": [writer.opportunity(t, lang, False) for t in request_topics],
            }
        )
        wants.append(request_topics)
        has.append(offer_topics)
    relevance = _plant(people, wants, has, writer, rng) if plant else []
    return {"name": f"synthetic-{n}-{seed}", "participants": people, "relevance": relevance}


def _plant(
    people: list[dict[str, Any]],
    wants: list[tuple[str, ...]],
    has: list[tuple[str, ...]],
    writer: _Writer,
    rng: random.Random,
) -> list[dict[str, Any]]:
    """Plant complementary pairs (grade 2) and mark same-topic request/offer pairs (grade 1)."""
    n = len(people)
    grades: dict[tuple[int, int], int] = {}
    order = list(range(n))
    rng.shuffle(order)
    for a, b in zip(order[0::2][: n // 6], order[1::2][: n // 6], strict=False):
        if people[a]["organisation"] == people[b]["organisation"]:
            continue
        topic = wants[a][0]
        lang_b = "en" if rng.random() < 0.5 else "ro"
        people[b]["offers"].append(writer.opportunity(topic, lang_b, True))
        has[b] = (*has[b], topic)
        grades[(min(a, b), max(a, b))] = 2
    for a in range(n):
        for b in range(n):
            if a == b or people[a]["organisation"] == people[b]["organisation"]:
                continue
            if set(wants[a]) & set(has[b]) and set(wants[b]) & set(has[a]):
                grades.setdefault((min(a, b), max(a, b)), 1)
    return [{"a": people[a]["id"], "b": people[b]["id"], "grade": g} for (a, b), g in sorted(grades.items())]


def records_from_event(data: dict[str, Any]) -> tuple[list[ParticipantRecord], list[str]]:
    """Turn evaluation-set JSON participants into engine records.

    Parameters
    ----------
    data:
        The parsed JSON (``participants`` list as in ``bench/README-matching.md``).

    Returns
    -------
    tuple
        The records (integer ids 0..n-1 in file order) and the original string ids, so
        ``names[record.id]`` maps back.

    Example
    -------
    >>> records, names = records_from_event(synthetic_event(3, plant=False))
    >>> names[records[0].id]
    'p000000'
    """
    orgs: dict[str, int] = {}
    records: list[ParticipantRecord] = []
    names: list[str] = []
    opportunity_id = 0
    for index, person in enumerate(data["participants"]):
        org_key = str(person.get("organisation") or person["id"])
        org_id = orgs.setdefault(org_key, len(orgs))
        lists: list[tuple[OpportunityText, ...]] = []
        for key in ("offers", "requests"):
            items = []
            for item in person.get(key, []):
                keywords = tuple(item.get("keywords", ()))
                items.append(
                    OpportunityText(
                        opportunity_id,
                        str(item.get("title", "")),
                        str(item.get("description", "")),
                        keywords,
                        item.get("type"),
                    )
                )
                opportunity_id += 1
            lists.append(tuple(items))
        records.append(
            ParticipantRecord(
                id=index,
                organisation_id=org_id,
                organisation_kind=str(person.get("organisation_kind", "other")),
                country=str(person.get("country", "")),
                sectors=tuple(person.get("sectors", ())),
                languages=tuple(person.get("languages", ())),
                profile_text=str(person.get("profile", "")),
                offers=lists[0],
                requests=lists[1],
            )
        )
        names.append(str(person["id"]))
    return records, names


def synthetic_records(n: int, seed: int = 7) -> list[ParticipantRecord]:
    """Synthetic engine records for speed runs (no planted pairs).

    Example
    -------
    >>> len(synthetic_records(5))
    5
    """
    return records_from_event(synthetic_event(n, seed, plant=False))[0]


# --------------------------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------------------------


def _cpu_s() -> float:
    """User + system CPU seconds of this process (all threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def measure_one(n: int, refreshes: int, seed: int = 7) -> dict[str, Any]:
    """Run the engine on ``n`` synthetic participants in this process and time it."""
    records = synthetic_records(n + refreshes, seed)
    base, extra = records[:n], records[n:]
    rss_data = _max_rss_mb()
    cpu_started = _cpu_s()
    started = time.perf_counter()
    engine = MatchingEngine().fit(base)
    fitted = time.perf_counter()
    results = engine.suggest_all()
    finished = time.perf_counter()
    cpu = _cpu_s() - cpu_started
    reasons = sum(len(s.reasons) for suggestions in results.values() for s in suggestions)
    # Not part of the run: what a full collection costs while the results are alive (the
    # engine leaves them in the oldest generation instead of walking them as young objects).
    collecting = time.perf_counter()
    gc.collect()
    full_gc = time.perf_counter() - collecting
    timings = []
    for record in extra:
        t0 = time.perf_counter()
        engine.refresh(record)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    return {
        "n": n,
        "fit_s": round(fitted - started, 2),
        "suggest_s": round(finished - fitted, 2),
        "total_s": round(finished - started, 2),
        "cpu_s": round(cpu, 2),
        "peak_rss_mb": round(_max_rss_mb()),
        "rss_after_data_mb": round(rss_data),
        "suggestions": sum(len(v) for v in results.values()),
        "reasons": reasons,
        "full_gc_s": round(full_gc, 2),
        "refresh_median_ms": round(statistics.median(timings), 1) if timings else None,
        "refresh_p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1) if timings else None,
    }


def _run_child(n: int, refreshes: int) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.matching_speed", "--child", str(n), "--refreshes", str(refreshes)]
    load_before = os.getloadavg()[0]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    row = dict(json.loads(out.strip().splitlines()[-1]))
    # the machine's 1-minute load average around the run (the child itself adds about 1)
    row["load"] = f"{load_before:.1f}-{os.getloadavg()[0]:.1f}"
    return row


def _table(rows: list[dict[str, Any]]) -> str:
    head = (
        "| participants | fit s | suggest_all s | total s | CPU s | peak RSS MB "
        "| refresh median ms | refresh p95 ms | full GC s | load 1m |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    lines = [head]
    for r in rows:
        lines.append(
            f"| {r['n']:,} | {r['fit_s']} | {r['suggest_s']} | {r['total_s']} | "
            f"{r.get('cpu_s', '-')} | {r['peak_rss_mb']} | "
            f"{r['refresh_median_ms'] or '-'} | {r['refresh_p95_ms'] or '-'} | "
            f"{r.get('full_gc_s', '-')} | {r.get('load', '-')} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument("--refreshes", type=int, default=50)
    parser.add_argument("--refresh-sizes", default="5000,100000", help="sizes at which refresh latency is measured")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per size; the fastest (least disturbed) one is reported"
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure_one(args.child, args.refreshes)))
        return
    refresh_sizes = {int(s) for s in args.refresh_sizes.split(",") if s}
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        runs = []
        for _ in range(max(1, args.repeat)):
            runs.append(_run_child(size, args.refreshes if size in refresh_sizes else 0))
            print(json.dumps(runs[-1]), file=sys.stderr)
        rows.append(min(runs, key=lambda r: float(r["total_s"])))
    print(f"engine {ENGINE_VERSION}\n")
    print(_table(rows))


if __name__ == "__main__":
    main()
