# ruff: noqa: E501  (hand-written data: long texts and pair notes)
"""Build bench/data/eval_cmr.json: a hand-written evaluation set for the matching engine.

Every text below was written by hand for this set (organisations are fictional; places, sectors,
programmes and event facts follow /work/shared/seeds). The script only gives the set its structure:
it assigns shuffled ids, turns the symbolic pair list into id pairs, validates everything and prints
the statistics that are copied into bench/data/README.md.

Run:  .venv/bin/python bench/data/make_eval_cmr.py          (writes the JSON, prints statistics)
      .venv/bin/python bench/data/make_eval_cmr.py --check  (validates the existing JSON only)
      add --baselines to print reference numbers of naive TF-IDF rankers (needs scikit-learn)
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

OUT = Path(__file__).with_name("eval_cmr.json")

KINDS = {"cluster", "company", "university", "research", "public_authority", "investor", "other"}
SECTORS = {
    "agrifood", "automotive", "aerospace", "ict", "energy", "construction", "creative-industries",
    "textiles", "wood-furniture", "tourism", "health", "biotech", "circular-economy", "logistics",
    "maritime", "advanced-manufacturing", "smart-cities", "digital-innovation-hubs",
}
TYPES = {
    "business_partnership", "technology", "rd_cooperation", "investment", "supply_subcontracting",
    "distribution", "eu_project_partner", "other",
}

PARTICIPANTS: list[dict] = []
TEXT_LANG: dict[str, str] = {}  # key -> language(s) the texts are written in


def P(key, org, kind, country, sectors, langs, text_lang, profile, offers, requests):  # noqa: N802
    PARTICIPANTS.append(
        {
            "key": key,
            "organisation": org,
            "organisation_kind": kind,
            "country": country,
            "sectors": sectors,
            "languages": langs,
            "profile": " ".join(profile.split()),
            "offers": [{"title": t, "description": " ".join(d.split()), "type": ty} for t, d, ty in offers],
            "requests": [{"title": t, "description": " ".join(d.split()), "type": ty} for t, d, ty in requests],
        }
    )
    TEXT_LANG[key] = text_lang


# ---------------------------------------------------------------------------------------------
# Manufacturing, Industry 4.0, robotics
# ---------------------------------------------------------------------------------------------

P("ro_cnc", "Mecanica Fină Dej SRL", "company", "RO", ["advanced-manufacturing", "automotive"], ["ro", "en"], "ro",
  """Firmă de familie din Dej, înființată în 1998, cu 65 de angajați. Realizăm piese prelucrate prin
  așchiere pentru industria auto, utilaje agricole și echipamente industriale: frezare CNC în 5 axe,
  strunjire, rectificare și control dimensional 3D. Lucrăm cu aluminiu, oțel inoxidabil și alamă, în
  serii mici și medii. Suntem membri ai unui cluster regional și ne dorim o fabrică mai inovatoare și
  mai sustenabilă. Cuvinte cheie: prelucrări mecanice, CNC, subcontractare, piese după desen, ISO 9001.""",
  [("Prelucrări CNC de precizie la comandă",
    """Frezare în 5 axe și strunjire CNC pentru piese din aluminiu, inox și alamă, în serii de 50 până la
    5.000 de bucăți. Lucrăm după desen sau model 3D și livrăm raport de măsurare pentru fiecare lot.""",
    "supply_subcontracting")],
  [("Digitalizarea proceselor de producție",
    """Căutăm parteneri pentru digitalizarea proceselor de producție: colectarea automată a datelor de la
    mașini, urmărirea comenzilor în atelier și trasabilitatea loturilor. Astăzi planificăm totul în Excel
    și pe hârtie.""",
    "technology")])

P("de_mes", "Werkdata Systems GmbH", "company", "DE", ["advanced-manufacturing", "ict"], ["de", "en"], "en",
  """Werkdata is a 45-person software company from Chemnitz that connects machines, people and ERP
  systems on the shop floor. Our MES suite runs in more than 120 small and mid-sized manufacturers in
  metalworking, plastics and electronics. We help factories move from paper job travellers to real-time
  production data. Keywords: MES, OEE, shop-floor data collection, Industry 4.0, ERP integration,
  traceability.""",
  [("Digital transformation and MES integration for factories",
    """Modular MES roll-out in 8-12 weeks: machine connectivity (OPC UA, MTConnect, legacy I/O), OEE
    dashboards, electronic job tickets, batch traceability and connectors to SAP, Odoo and other ERPs.
    Fixed-price packages for SMEs.""",
    "technology")],
  [("Contract machining of aluminium housings",
    """We need a reliable subcontractor for CNC-machined aluminium enclosures for our industrial edge
    gateways, 500-2,000 pieces a year, anodised. Suppliers from Central and Eastern Europe are welcome.""",
    "supply_subcontracting")])

P("de_mes_cto", "Werkdata Systems GmbH", "company", "DE", ["advanced-manufacturing", "ict"], ["de", "en"], "en",
  """CTO at Werkdata Systems in Chemnitz. I lead an R&D team of 12 engineers working on machine
  connectivity and the next generation of our manufacturing execution software. Current focus:
  retrofitting older machines, edge analytics and smarter planning. Interested in Horizon Europe and
  national research projects together with universities. Keywords: IIoT, retrofit, edge computing,
  scheduling, applied research.""",
  [("Retrofit kits for legacy machines",
    """Clip-on current, vibration and spindle-state sensors plus an edge gateway that make 20- or
    30-year-old machine tools and presses visible in any dashboard, without touching the PLC.""",
    "technology")],
  [("Research partner for AI-based production scheduling",
    """We want to add intelligent finite-capacity scheduling to our MES and look for an academic group to
    co-develop and validate the algorithms in a Horizon Europe or bilateral research project.""",
    "rd_cooperation")])

P("pl_press", "Metalform Rzeszów Sp. z o.o.", "company", "PL", ["advanced-manufacturing", "automotive", "aerospace"],
  ["pl", "en", "de"], "en",
  """Metalform is a sheet-metal and stamping company in the Podkarpackie region with 210 employees,
  supplying brackets, housings and structural parts to automotive and aviation customers. We run 14
  hydraulic and mechanical presses from 100 to 800 tonnes, fibre lasers and robotic welding. We keep
  investing in innovation and digital tools to stay competitive. Keywords: stamping, sheet metal, laser
  cutting, welding, IATF 16949.""",
  [("Press shop available as an industrial test bed",
    """Research teams and technology providers can pilot industrial AI, sensing or robotics solutions on
    our real production lines, with access to our engineers and ten years of maintenance logs.""",
    "rd_cooperation"),
   ("Stamping and laser cutting capacity",
    """Free capacity on 400-800 t presses and two fibre lasers for steel and aluminium sheet parts,
    including welding and assembly.""",
    "supply_subcontracting")],
  [("Predictive maintenance for hydraulic presses",
    """Unplanned stops of our large presses cost us up to 30 hours a month. We look for a predictive
    maintenance solution that warns us before seals, pumps or bearings fail.""",
    "technology")])

P("fi_cm", "Nordic Institute for Industrial Intelligence", "research", "FI", ["advanced-manufacturing", "ict"],
  ["fi", "sv", "en"], "en",
  """Non-profit applied research institute in Tampere with 90 researchers working on machine learning
  for heavy industry. We turn sensor data from rotating machinery into maintenance decisions and have
  spun out three companies. Active in Horizon Europe, the Made in Europe partnership and EIT
  Manufacturing. Keywords: condition monitoring, machine learning, vibration analysis, reliability
  engineering.""",
  [("Predictive maintenance based on condition monitoring",
    """Vibration and acoustic analytics that estimate the remaining useful life of pumps, bearings and
    gearboxes; validated on presses, compressors and paper machines. Available as research collaboration
    or licence.""",
    "technology")],
  [("Pilot factories in Central and Eastern Europe",
    """For a Horizon Europe proposal on trustworthy industrial AI we need two or three manufacturing
    companies that can host pilots on real production equipment.""",
    "eu_project_partner")])

P("pl_uni_diag", "Politechnika Nadwiślańska – Machine Diagnostics Laboratory", "university", "PL",
  ["advanced-manufacturing", "energy"], ["pl", "en"], "en+pl",
  """Laboratorium Diagnostyki Maszyn, the machine diagnostics laboratory of a technical university in
  Kraków: 25 researchers and PhD students working on vibration diagnostics, oil analysis and digital
  twins of drive systems for mining, energy and manufacturing. Long record of cooperation with Polish
  industry and of EU research projects. Keywords: diagnostyka techniczna, vibration, condition
  monitoring, hydraulic drives, digital twin.""",
  [("Machine diagnostics: vibration and oil analysis",
    """We assess the technical condition of rotating machinery and hydraulic drives from vibration signals
    and oil samples, and we train maintenance teams to interpret the results.""",
    "technology")],
  [("Industrial sites for a Horizon Europe demonstrator",
    """Szukamy partnerów przemysłowych: we need manufacturing plants willing to host demonstrators of our
    diagnostic methods in a Horizon Europe project starting in 2026.""",
    "eu_project_partner")])

P("ro_edih", "EDIH Transilvania Digitală", "other", "RO", ["digital-innovation-hubs", "ict", "advanced-manufacturing"],
  ["ro", "en", "hu"], "en",
  """European Digital Innovation Hub for North-West Romania, run by a consortium of a technical
  university, an IT cluster and the regional development agency. We help SMEs and public bodies adopt
  artificial intelligence, high-performance computing and cybersecurity. Part of the EU network of
  EDIHs, services co-funded by the Digital Europe Programme. Keywords: digital transformation, AI,
  cybersecurity, test before invest, digital skills.""",
  [("Free digital transformation services for SMEs",
    """Digital maturity assessment, test-before-invest services, training in AI and cybersecurity, and
    help with access to finance. Free or subsidised for SMEs and public organisations.""",
    "technology")],
  [("Cooperation with EDIHs from other countries",
    """We are looking for European Digital Innovation Hubs in other Member States to exchange experts,
    refer SMEs across borders and deliver joint services.""",
    "eu_project_partner")])

P("si_edih", "EDIH Drava Digital", "other", "SI", ["digital-innovation-hubs", "smart-cities", "ict"],
  ["sl", "en", "de"], "en",
  """Slovenian European Digital Innovation Hub based in Maribor, run by a university, a technology park
  and the regional chamber of commerce. We operate a private 5G campus network, a collaborative robotics
  lab and a data analytics team that serve manufacturing SMEs and municipalities. Keywords: EDIH, 5G,
  robotics, smart city, digital maturity, innovation.""",
  [("Test before invest on 5G and robotics",
    """SMEs can try private 5G use cases, collaborative robots and computer-vision quality inspection in
    our lab before they buy.""",
    "technology")],
  [("Partnership with EDIHs in South-East Europe",
    """We want to build a cooperation with other EDIHs in Romania, Croatia and Bulgaria: staff exchange,
    cross-border referral of SMEs and a joint service catalogue.""",
    "eu_project_partner")])

P("it_robot", "Robotica Adriatica S.r.l.", "company", "IT", ["advanced-manufacturing", "automotive"],
  ["it", "en"], "it",
  """Integratore di sistemi robotici con sede a Pesaro, 60 dipendenti e oltre 400 celle installate in
  Italia, Germania e Romania. Progettiamo e realizziamo celle robotizzate chiavi in mano per fonderie,
  carpenteria metallica e industria del legno: sbavatura, saldatura, asservimento macchine utensili,
  pallettizzazione. Parole chiave: robotica industriale, automazione, visione artificiale, fonderia,
  Industria 4.0.""",
  [("Celle robotizzate per la sbavatura dei getti",
    """Progettiamo celle con robot antropomorfi e mandrini ad alta frequenza per sbavare e rifinire getti
    in alluminio pressofuso, con visione 3D per il riconoscimento dei pezzi.""",
    "technology")],
  [("Partner per l'assistenza tecnica in Romania",
    """Cerchiamo un'azienda locale con tecnici qualificati per installazione, manutenzione e interventi di
    emergenza sulle nostre celle presso i clienti in Transilvania e nel Banato.""",
    "business_partnership")])

P("ro_diecast", "Alutech Turnătorie SA", "company", "RO", ["automotive", "advanced-manufacturing"],
  ["ro", "en", "de"], "ro",
  """Turnătorie de aluminiu din Sebeș cu 340 de angajați, furnizor tier-2 pentru industria auto
  europeană. Producem carcase, suporți și componente de direcție prin turnare sub presiune (celule de
  800-3.500 t), cu prelucrare mecanică și vopsire în câmp electrostatic. Certificări IATF 16949 și ISO
  14001. Cuvinte cheie: turnare sub presiune, aluminiu, piese auto, prelucrare, automatizare.""",
  [("Piese turnate sub presiune din aluminiu",
    """Componente auto turnate sub presiune, de la 50 g la 12 kg, livrate prelucrate și verificate 100%.
    Avem capacitate liberă pentru proiecte noi începând cu 2026.""",
    "supply_subcontracting")],
  [("Automatizarea debavurării cu roboți",
    """Vrem să automatizăm debavurarea și manipularea pieselor după turnare, unde astăzi lucrează manual 40
    de operatori. Căutăm un integrator cu experiență în celule robotizate pentru turnătorii.""",
    "technology")])

P("ro_automation", "ElectroAutomatic Service SRL", "company", "RO", ["advanced-manufacturing", "energy"],
  ["ro", "en"], "ro-cedilla",
  """Firmă din Alba Iulia specializată în automatizări industriale şi mentenanţă electrică, cu 38 de
  angajaţi. Realizăm tablouri electrice, programare PLC şi HMI, punere în funcţiune şi service pentru
  linii de producţie din industria auto, alimentară şi a mobilei. Cuvinte cheie: automatizări, PLC,
  mentenanţă, service industrial, tablouri electrice.""",
  [("Service şi mentenanţă pentru linii automatizate",
    """Echipă de 15 tehnicieni cu intervenţie în maximum 24 de ore în Transilvania şi Banat: mentenanţă
    preventivă, depanare, modificări de program PLC Siemens şi Allen-Bradley.""",
    "business_partnership")],
  [("Parteneriat cu integratori de roboţi din UE",
    """Dorim să colaborăm cu integratori de sisteme robotizate din alte ţări europene pentru proiecte
    comune la clienţii din România: noi asigurăm partea electrică, instalarea şi service-ul local.""",
    "business_partnership")])

P("de_tier1", "Kessler Fahrwerk GmbH", "company", "DE", ["automotive"], ["de", "en"], "en+de",
  """Family-owned tier-1 supplier of chassis and steering components from Baden-Württemberg, with 2,300
  employees in Germany, Hungary and Mexico. We are reorganising purchasing for the electric vehicle
  platforms launching in 2027 and are building a second supplier base in Central and Eastern Europe.
  Keywords: chassis, steering, EV platforms, purchasing, supplier development.""",
  [("Long-term supply agreements and supplier development",
    """Multi-year contracts for qualified suppliers, with support from our supplier quality engineers for
    PPAP, APQP and capacity ramp-up.""",
    "business_partnership")],
  [("Lieferanten für Aluminium-Druckguss in Mittel- und Osteuropa",
    """Wir suchen IATF-zertifizierte Druckgießereien für Lenkungsgehäuse und Halter (1-8 kg), inklusive
    mechanischer Bearbeitung, Jahresvolumen 150.000-400.000 Teile.""",
    "supply_subcontracting")])

P("cz_foundry", "Slévárna Morava s.r.o.", "company", "CZ", ["automotive", "advanced-manufacturing"],
  ["cs", "en", "de"], "en",
  """Aluminium foundry near Zlín with 280 employees producing high-pressure die castings for automotive,
  e-mobility and household appliances. We run 16 die-casting cells up to 2,500 tonnes, CNC machining and
  impregnation. IATF 16949 certified, with a strong focus on cost-efficient and sustainable production.
  Keywords: die casting, aluminium, automotive components, machining.""",
  [("Aluminium high-pressure die castings, machined",
    """Castings from 0.1 to 10 kg with CNC machining, leak testing and impregnation; free capacity from Q2
    2026 for automotive programmes.""",
    "supply_subcontracting")],
  [("Robotic deburring and fettling automation",
    """Our fettling shop is still manual. We look for a system integrator that can automate deburring and
    handling of castings with robots and 3D vision.""",
    "technology")])

P("ro_uni_robotics", "Universitatea Tehnică Transilvania din Cluj", "university", "RO",
  ["advanced-manufacturing", "automotive", "ict"], ["ro", "en", "de"], "ro",
  """Departamentul de robotică și mecatronică al universității, cu 40 de cadre didactice și doctoranzi.
  Laboratorul nostru de robotică colaborativă și viziune artificială lucrează cu firme din industria
  auto și a mobilei la proiecte de cercetare aplicată. Cuvinte cheie: robotică, coboți, viziune
  artificială, mecatronică, cercetare aplicată, inovare.""",
  [("Laborator de robotică colaborativă și viziune artificială",
    """Studii de fezabilitate, prototipuri de celule cu coboți și sisteme de inspecție vizuală dezvoltate
    împreună cu companiile partenere.""",
    "rd_cooperation")],
  [("Parteneri industriali pentru cercetare aplicată în robotică",
    """Căutăm companii care să ne pună la dispoziție linii de producție reale pentru testarea soluțiilor
    de robotică colaborativă și viziune artificială, în proiecte PNRR sau Horizon Europe.""",
    "rd_cooperation")])

P("ro_uni_tto", "Universitatea Tehnică Transilvania din Cluj", "university", "RO",
  ["advanced-manufacturing", "ict", "health"], ["ro", "en"], "en",
  """Technology transfer office of the Transilvania Technical University of Cluj. We manage a portfolio
  of 60 patents in sensors, smart materials and medical engineering, coach researchers who want to start
  spin-offs and negotiate licences with industry. Keywords: technology transfer, patents, licensing,
  spin-offs, university-industry cooperation.""",
  [("Licensing of university patents",
    """Licences for patented technologies in sensors, smart materials and medical engineering, with the
    inventors supporting industrialisation.""",
    "technology")],
  [("Investors for university spin-offs",
    """We want angel investors and early-stage funds interested in backing spin-off companies founded by
    our researchers.""",
    "investment")])

# ---------------------------------------------------------------------------------------------
# Wood, furniture, design
# ---------------------------------------------------------------------------------------------

P("ro_furn_cluster", "Transilvania Lemn & Design Cluster", "cluster", "RO", ["wood-furniture", "creative-industries"],
  ["ro", "en"], "ro+en",
  """Clusterul reunește 70 de producători de mobilă, designeri, furnizori de accesorii, o universitate
  tehnică și autorități locale din Nord-Vest. We manage a furniture excellence centre in Cluj with rapid
  prototyping, one of the largest 3D printers in Romania and a CNC lab. Focus: design, digitalisation
  and internationalisation of furniture SMEs. Cuvinte cheie: mobilă, design, prototipare, S3, export.""",
  [("Acces la Centrul de Excelență în Mobilă",
    """Prototipare rapidă, imprimare 3D de format mare, prelucrare CNC și laborator de materiale, la
    dispoziția companiilor și a partenerilor de proiect din țară și din străinătate.""",
    "technology")],
  [("Joining an interregional S3 partnership on furniture and design",
    """We want to join an interregional smart specialisation (S3) partnership on design and furniture, to
    develop tools for SMEs together with clusters and regions from other countries.""",
    "eu_project_partner")])

P("ro_furn_cluster_io", "Transilvania Lemn & Design Cluster", "cluster", "RO", ["wood-furniture", "circular-economy"],
  ["ro", "en", "fr"], "en",
  """Innovation and projects officer at Transilvania Lemn & Design Cluster. I coordinate services for our
  member companies — furniture factories, upholsterers, joinery workshops — from export missions to
  training on sustainable materials, and I prepare members for the new EU rules on ecodesign and product
  information. Keywords: cluster services, furniture SMEs, sustainability, circular economy.""",
  [("Matchmaking with furniture manufacturers in North-West Romania",
    """We connect foreign buyers and designers with more than 60 member manufacturers for subcontracting,
    private label and joint product development.""",
    "business_partnership")],
  [("Know-how on eco-design and circular furniture",
    """Our members need practical methods to design furniture that can be repaired, refurbished and
    recycled, and to measure its environmental footprint.""",
    "rd_cooperation")])

P("se_interior", "Vättern Interior Cluster", "cluster", "SE", ["wood-furniture", "creative-industries", "circular-economy"],
  ["sv", "en"], "en",
  """Swedish cluster organisation with 140 members in furniture, lighting, interior textiles and design
  services, based in Jönköping County. We believe trust is the engine of business and invest in
  long-term cross-border partnerships and in gender equality in our industry. Keywords: interior design,
  furniture, S3 thematic partnership, design-driven innovation, inclusive clusters.""",
  [("Open S3 partnership on design and furniture",
    """We co-lead an interregional S3 thematic partnership on design-driven furniture and welcome new
    clusters and regions that want to develop joint tools, pilots and investment projects.""",
    "eu_project_partner"),
   ("Gender equality toolkit for cluster management",
    """Our toolkit and training help cluster organisations make their services and boards more inclusive
    for women-led SMEs.""",
    "other")],
  [("Small-series production of upholstered furniture",
    """Swedish design brands in our cluster need manufacturing partners in Central and Eastern Europe for
    upholstered chairs and sofas in series of 50 to 500 pieces.""",
    "supply_subcontracting")])

P("ua_furniture", "Karpaty Wood LLC", "company", "UA", ["wood-furniture"], ["uk", "en", "pl"], "en",
  """Furniture manufacturer from the Lviv region with 180 employees, our own sawmill and kiln drying. We
  produce solid oak and ash dining tables, cabinets and beds for European brands and have kept production
  running throughout the war. FSC chain-of-custody certified. Keywords: solid wood furniture, OEM, FSC,
  oak, ash, export.""",
  [("OEM production of solid oak and ash furniture",
    """Dining tables, sideboards, cabinets and beds in solid oak and ash, made to the customer's design
    and finish, from 20 pieces per model.""",
    "supply_subcontracting")],
  [("Distribution partners in the EU",
    """We look for distributors, retail chains and online shops in Poland, Germany and the Benelux to sell
    our own collection of solid wood furniture.""",
    "distribution")])

P("ro_chairs", "Mobila Nord Bistrița SRL", "company", "RO", ["wood-furniture", "textiles"], ["ro", "en", "it"], "ro",
  """Fabrică de scaune și mobilier tapițat din Bistrița, cu 150 de angajați și 30 de ani de export în
  Italia, Franța și Germania. Avem linie proprie de croit și cusut pentru tapițerie, atelier de vopsire
  și un depozit de 6.000 m². Vrem să devenim mai sustenabili și să intrăm pe piața nordică. Cuvinte
  cheie: scaune, canapele, tapițerie, lohn, private label, export.""",
  [("Producție de scaune și canapele tapițate pentru alte mărci",
    """Fabricăm scaune, fotolii și canapele tapițate în regim de private label sau lohn, în serii de la 50
    de bucăți, cu materialele alese de client.""",
    "supply_subcontracting")],
  [("Lacuri și finisaje pe bază de apă",
    """Căutăm furnizori de lacuri și sisteme de finisare pe bază de apă, cu emisii reduse de compuși
    organici volatili (COV), potrivite pentru lemn de fag și stejar.""",
    "supply_subcontracting"),
   ("Testarea scaunelor conform standardelor EN",
    """Avem nevoie de un laborator acreditat care să testeze rezistența, durabilitatea și stabilitatea
    scaunelor după standardele EN, pentru certificările cerute de clienții din nordul Europei.""",
    "technology")])

P("nl_retail", "Eikwerk Online B.V.", "company", "NL", ["wood-furniture", "logistics"], ["nl", "en", "de"], "en",
  """Eikwerk is a fast-growing online furniture retailer from Utrecht with its own private-label
  collection and a presence on the largest Benelux and German marketplaces. 65,000 orders a year and our
  own two-person delivery for bulky items. We care about sustainable sourcing and long-term supplier
  partnerships. Keywords: e-commerce, furniture retail, private label, marketplaces, last mile.""",
  [("Access to Benelux and German online retail channels",
    """Furniture brands and manufacturers can sell through our web shop and marketplace integrations, with
    our warehousing and two-person delivery across the Benelux and Germany.""",
    "distribution")],
  [("Manufacturers of solid hardwood tables and cabinets",
    """For our private label we need producers of solid oak and ash dining tables and cabinets, FSC
    certified, able to deliver flat-packed or assembled.""",
    "supply_subcontracting")])

P("it_coatings", "Vernici Berica S.p.A.", "company", "IT", ["wood-furniture", "construction", "circular-economy"],
  ["it", "en"], "it",
  """Azienda vicentina fondata nel 1972 che produce vernici e sistemi di finitura per il legno: mobili,
  serramenti, parquet. Il 70% della nostra gamma è all'acqua, a basse emissioni di solventi e
  certificata per gli ambienti interni. Laboratorio applicativo interno e assistenza tecnica presso i
  clienti. Parole chiave: vernici, finiture per legno, prodotti all'acqua, sostenibilità, export.""",
  [("Vernici all'acqua per mobili e serramenti",
    """Cicli di finitura all'acqua a bassa emissione di VOC per mobili in faggio, rovere e pino, con
    assistenza tecnica per l'avviamento degli impianti di verniciatura.""",
    "supply_subcontracting")],
  [("Distributori in Romania, Moldavia e Bulgaria",
    """Cerchiamo distributori o agenti con una rete di rivendite di materiali edili e prodotti per il legno
    in Romania, Moldavia e Bulgaria.""",
    "distribution")])

P("es_wood_lab", "Centro Tecnológico del Hábitat Levante", "research", "ES",
  ["wood-furniture", "construction", "circular-economy"], ["es", "en"], "es",
  """Centro tecnológico privado sin ánimo de lucro situado en Valencia, al servicio de las empresas del
  mueble, la madera y el hábitat. Contamos con laboratorios acreditados de ensayo de mobiliario,
  materiales y acabados, y participamos en proyectos europeos de economía circular y digitalización.
  Palabras clave: ensayos, certificación, mobiliario, pasaporte digital de producto, innovación.""",
  [("Ensayos de mobiliario según normas EN",
    """Laboratorio acreditado para ensayos de resistencia, durabilidad y estabilidad de sillas, mesas y
    sofás según normas EN, con informes válidos para certificación y licitaciones públicas.""",
    "technology")],
  [("Socios para un proyecto europeo sobre el pasaporte digital de producto",
    """Buscamos empresas tecnológicas y clústeres para preparar una propuesta sobre el pasaporte digital de
    producto (DPP) en el sector del mueble, en el marco del nuevo reglamento de ecodiseño.""",
    "eu_project_partner")])

P("es_wood_lca", "Centro Tecnológico del Hábitat Levante", "research", "ES", ["wood-furniture", "circular-economy"],
  ["es", "en", "it"], "en",
  """Researcher in the sustainability department of the Centro Tecnológico del Hábitat Levante in
  Valencia. I help furniture and wood companies measure and reduce the environmental impact of their
  products and coordinate our work on circular design. Keywords: life cycle assessment, eco-design,
  environmental product declarations, circular economy, sustainable materials.""",
  [("Eco-design and life cycle assessment for furniture makers",
    """Streamlined LCA, environmental product declarations and design-for-disassembly workshops adapted to
    small furniture manufacturers.""",
    "rd_cooperation")],
  [("Manufacturers to pilot eco-design tools",
    """We need furniture companies, ideally reached through a cluster, willing to test our new eco-design
    self-assessment tool on two or three of their products.""",
    "rd_cooperation")])

P("ro_trace_sw", "Trasabil Tech SRL", "company", "RO", ["ict", "circular-economy", "textiles"], ["ro", "en"], "en",
  """Software start-up from Iași with 22 people, building traceability solutions for manufacturers that
  must comply with upcoming EU product information rules. Our platform links each product to its
  materials, suppliers, repair instructions and end-of-life options through a QR code or NFC tag.
  Keywords: digital product passport, traceability, ESPR, GS1, SaaS.""",
  [("Digital product passport platform",
    """SaaS platform to create and host digital product passports: material composition, origin, care and
    repair data, recycling information; GS1 Digital Link and NFC compatible.""",
    "technology")],
  [("Pilot customers preparing for ESPR",
    """We look for textile or furniture manufacturers that want to prepare early for the Ecodesign for
    Sustainable Products Regulation and co-design a pilot with us.""",
    "business_partnership")])

P("ro_furn_buc", "Bucharest Furniture Design Cluster", "cluster", "RO", ["wood-furniture", "creative-industries"],
  ["ro", "en", "fr"], "en",
  """Cluster of 45 furniture manufacturers, interior designers and retailers from Bucharest-Ilfov,
  created to strengthen design capacity and the international visibility of Romanian furniture. We
  organise joint stands at international fairs, design competitions and export missions, and promote
  innovative and sustainable furniture. Keywords: furniture design, interior design, fairs, export
  promotion, creative industries.""",
  [("Joint stands at international furniture fairs",
    """Members and partners can exhibit on our shared stand at major European furniture fairs, sharing
    logistics and promotion costs.""",
    "business_partnership")],
  [("Design schools for collaboration with manufacturers",
    """We want to connect our members with design universities and academies abroad for student projects,
    internships and new collections developed together with young designers.""",
    "rd_cooperation")])

P("it_design", "Accademia di Design della Brianza", "university", "IT", ["creative-industries", "wood-furniture"],
  ["it", "en"], "it+en",
  """Istituto privato di alta formazione nel distretto del mobile della Brianza, con corsi triennali e
  master in design del prodotto, interni e arredo. Ogni anno collaboriamo con oltre 50 aziende
  dell'arredo in progetti didattici e di ricerca. Parole chiave: design del prodotto, arredamento,
  formazione, creatività, innovazione.""",
  [("Company projects and internships with our design students",
    """Students of our master in furniture design develop concepts and prototypes for partner companies in
    semester-long workshops; we also place interns in companies abroad.""",
    "rd_cooperation")],
  [("Aziende e cluster dell'arredo in Europa orientale",
    """Cerchiamo aziende e cluster del mobile dell'Europa centro-orientale disposti ad accogliere studenti
    e a proporre brief di progetto reali.""",
    "rd_cooperation")])

# ---------------------------------------------------------------------------------------------
# Agrifood, food identity, bioeconomy
# ---------------------------------------------------------------------------------------------

P("ro_agro_cluster", "Clusterul Agroalimentar Transilvania de Nord", "cluster", "RO", ["agrifood", "tourism"],
  ["ro", "en"], "ro",
  """Clusterul reunește 85 de membri: ferme, procesatori de lapte și carne, producători de miere,
  universitatea de științe agricole, două consilii județene și o bancă. Sprijinim produsele tradiționale
  și cu specific local să ajungă pe piețe noi și să obțină recunoaștere europeană. Cuvinte cheie:
  produse tradiționale, lanțuri scurte, inovare, marcă regională, export.""",
  [("Acces la producători locali pentru studii de caz",
    """Punem la dispoziție peste 40 de producători de brânzeturi, mezeluri afumate și miere pentru studii de
    caz, testări de produse și vizite de studiu.""",
    "rd_cooperation")],
  [("Parteneri pentru un proiect despre indicațiile geografice",
    """Căutăm universități și organizații din UE pentru un proiect Interreg sau Erasmus+ privind
    înregistrarea indicațiilor geografice (IGP, DOP) și promovarea produselor tradiționale.""",
    "eu_project_partner")])

P("it_uni_gi", "Università degli Studi del Po – Dipartimento di Scienze degli Alimenti", "university", "IT",
  ["agrifood", "tourism"], ["it", "en", "fr"], "it",
  """Dipartimento universitario con 70 docenti e ricercatori, attivo nella ricerca sulla qualità e
  sull'identità dei prodotti alimentari. Coordiniamo un master europeo sulle Indicazioni Geografiche e
  collaboriamo con numerosi consorzi di tutela DOP e IGP. Parole chiave: identità alimentare,
  indicazioni geografiche, sviluppo rurale, formazione, Erasmus+.""",
  [("Formazione e ricerca sulle Indicazioni Geografiche",
    """Supporto alla stesura dei disciplinari di produzione, percorsi formativi per consorzi e produttori,
    analisi del valore economico delle produzioni DOP e IGP.""",
    "rd_cooperation")],
  [("Casi di studio nell'Europa orientale",
    """Cerchiamo cluster e associazioni di produttori dell'Europa orientale con prodotti tradizionali che
    aspirano al riconoscimento europeo, per casi di studio e progetti comuni.""",
    "rd_cooperation")])

P("gr_uni_food", "Aegean Agricultural University – Food Authenticity Lab", "university", "GR",
  ["agrifood", "biotech"], ["el", "en"], "en",
  """University laboratory in Thessaloniki specialised in food authenticity and food identity. We combine
  NMR spectroscopy, stable isotope analysis and chemometrics to verify origin and detect fraud in honey,
  olive oil, wine and dairy products, and we teach in an EU-funded programme on geographical
  indications. Keywords: food fraud, authenticity, origin, NMR, isotopes, geographical indications.""",
  [("Food authenticity and origin testing",
    """Isotope-ratio and NMR fingerprinting that proves botanical and geographical origin and detects
    adulteration with syrups in honey, olive oil and wine.""",
    "technology")],
  [("Producer organisations for a shared authenticity database",
    """We invite producer groups and cooperatives from the Balkans and the Black Sea region to contribute
    samples to a reference database of authentic products.""",
    "rd_cooperation")])

P("md_honey", "Apicola Nistru SRL", "company", "MD", ["agrifood"], ["ro", "ru", "en"], "ro",
  """Suntem o companie apicolă din raionul Orhei, Republica Moldova, care colectează și procesează miere
  de la 300 de apicultori parteneri. Avem certificare ecologică UE, o stație proprie de extracție și
  ambalare și exportăm deja în România și Polonia. Cuvinte cheie: miere, apicultură, produse
  ecologice, export UE, trasabilitate.""",
  [("Miere ecologică de salcâm și polifloră",
    """Livrăm miere certificată ecologic, în vrac (butoaie de 300 kg) sau ambalată, în loturi de 20-100 de
    tone pe an, pentru importatori și procesatori.""",
    "supply_subcontracting")],
  [("Analize de laborator pentru autenticitatea mierii",
    """Clienții din UE ne cer dovezi că mierea nu este falsificată și că provine din Moldova. Căutăm un
    laborator sau o universitate care să facă analize de autenticitate și de origine.""",
    "technology")])

P("de_organic", "Naturkost Handelshaus Weber GmbH", "company", "DE", ["agrifood", "logistics"], ["de", "en"], "de",
  """Großhändler für Bio-Lebensmittel aus Freiburg, seit 1988. Wir beliefern rund 900 Naturkostläden und
  Bio-Supermärkte in Deutschland, Österreich und der Schweiz und legen großen Wert auf faire,
  langfristige Lieferbeziehungen und nachhaltige Landwirtschaft. Schlagwörter: Bio-Großhandel,
  Naturkost, Import, Rückverfolgbarkeit, Nachhaltigkeit.""",
  [("Vertrieb im Bio-Fachhandel in Deutschland, Österreich und der Schweiz",
    """Wir nehmen neue Bio-Produkte in unser Sortiment auf und bringen sie über unser Netz in rund 900
    Fachgeschäfte.""",
    "distribution")],
  [("Lieferanten für Bio-Honig, Walnüsse und Beeren aus Osteuropa",
    """Gesucht: zertifizierte Bio-Erzeuger und Verarbeiter für Akazienhonig, Walnusskerne und getrocknete
    Waldbeeren, gerne aus Rumänien, Moldau oder der Ukraine.""",
    "supply_subcontracting")])

P("ro_walnut", "Carpatin Nuts SRL", "company", "RO", ["agrifood"], ["ro", "en", "de"], "en",
  """Processor of walnuts and wild berries from Vâlcea county, working with 1,200 smallholders and forest
  pickers. We crack, sort and pack walnut kernels and dry forest fruit in an EU organic-certified plant,
  exporting mainly to Germany and Austria. We want more automation while keeping wild collection
  sustainable. Keywords: walnuts, organic, wild berries, food processing, export.""",
  [("Organic walnut kernels and dried forest berries",
    """Light halves and pieces of organic walnut kernels, plus dried bilberries, rosehips and sea buckthorn,
    5-200 t a year with full lot traceability.""",
    "supply_subcontracting")],
  [("Optical sorting technology for walnut kernels",
    """We want to replace manual grading of walnut kernels by colour and defects with optical sorting
    machines and need a technology partner for a trial.""",
    "technology")])

P("hu_sorting", "OptiSort Kft.", "company", "HU", ["advanced-manufacturing", "ict"],
  ["hu", "en", "de"], "en",
  """Hungarian machine builder from Szeged designing camera-based sorting equipment for the food
  industry. Our machines use hyperspectral cameras and deep learning to remove foreign material and
  defective products at up to 12 tonnes per hour. Installed base in 20 countries. Keywords: optical
  sorting, machine vision, food processing, AI, nuts, seeds.""",
  [("Optical sorting machines for nuts, seeds and dried fruit",
    """AI-based optical sorters that grade walnut and hazelnut kernels, seeds and dried fruit by colour,
    shape and defects; free trials on customer samples in our test centre.""",
    "technology")],
  [("Sales agents in Romania and Moldova",
    """We want local representation in Romania and the Republic of Moldova: a company that already sells
    equipment to farmers and food processors and can also provide first-level service.""",
    "distribution")])

P("fr_agritech", "HydroSol Capteurs SAS", "company", "FR", ["agrifood", "ict"], ["fr", "en"], "fr",
  """Start-up toulousaine de 18 personnes qui conçoit des capteurs connectés pour piloter l'irrigation.
  Nos sondes mesurent l'humidité du sol à plusieurs profondeurs et transmettent les données par LoRaWAN
  vers une application qui recommande quand et combien arroser. Mots-clés : agriculture de précision,
  irrigation, capteurs, IoT, économie d'eau.""",
  [("Sondes d'humidité du sol connectées",
    """Capteurs capacitifs multi-profondeurs, passerelle LoRaWAN et application d'aide à la décision pour
    l'irrigation des grandes cultures, du maraîchage et des vergers.""",
    "technology")],
  [("Exploitations pilotes en Europe de l'Est",
    """Nous cherchons des exploitations ou coopératives en Roumanie et en Europe de l'Est pour tester nos
    sondes pendant une saison, avec un accompagnement agronomique gratuit.""",
    "rd_cooperation")])

P("ro_farm_coop", "Cooperativa Agricolă Legume de Mureș", "other", "RO", ["agrifood"], ["ro", "hu"], "ro",
  """Cooperativă agricolă din județul Mureș cu 48 de membri care cultivă legume în câmp și în sere, pe
  aproximativ 120 de hectare. Vindem împreună către lanțuri de magazine și piețe locale. Secetele din
  ultimii ani ne-au arătat că trebuie să folosim apa mult mai eficient. Cuvinte cheie: legume, sere,
  cooperativă, irigații, agricultură durabilă.""",
  [("Ferme pilot pentru testarea tehnologiilor agricole",
    """Membrii noștri pun la dispoziție parcele în câmp și în sere pentru testarea unor tehnologii noi, cu
    acces la datele de producție.""",
    "rd_cooperation")],
  [("Sisteme inteligente de irigații",
    """Căutăm tehnologii care să ne spună când și cât să udăm, pe baza datelor despre umiditatea solului,
    ca să reducem consumul de apă și costul energiei pentru pompe.""",
    "technology")])

P("es_irrigation", "Riegos del Segura S.L.", "company", "ES", ["agrifood"], ["es", "en"], "es",
  """Empresa murciana con 25 años de experiencia en el diseño e instalación de sistemas de riego por
  goteo y fertirrigación. Trabajamos en invernaderos, frutales y cultivos hortícolas en España,
  Marruecos y Portugal, y queremos crecer en Europa del Este. Palabras clave: riego por goteo,
  fertirrigación, invernaderos, eficiencia hídrica, agricultura sostenible.""",
  [("Sistemas de riego por goteo y fertirrigación",
    """Diseño, suministro e instalación de redes de goteo, cabezales de fertirrigación y filtrado para
    invernaderos y cultivos intensivos.""",
    "technology")],
  [("Distribuidores de insumos agrícolas en Rumanía y Bulgaria",
    """Buscamos empresas distribuidoras de insumos y equipos agrícolas con red comercial propia en Rumanía
    y Bulgaria para representar nuestros productos.""",
    "distribution")])

P("ro_agri_distributor", "AgroPartener Distribuție SRL", "company", "RO", ["agrifood", "logistics"],
  ["ro", "en"], "en",
  """Distributor of farm inputs based in Bacău, with 14 regional warehouses in Moldavia and Muntenia and
  more than 6,000 farmers as customers. We sell seed, fertiliser, crop protection and equipment, and our
  agronomists advise farmers in the field. Keywords: distribution, agricultural inputs, farmers,
  equipment, precision farming.""",
  [("National distribution network for farmers and food processors",
    """14 warehouses, 45 sales agents and field advisers: we launch and distribute new products and
    equipment to farms and food processors across Romania.""",
    "distribution")],
  [("Suppliers of precision farming technology to represent",
    """We want to represent European manufacturers of field sensors, weather stations and other precision
    agriculture technologies in Romania.""",
    "distribution")])

P("pt_packaging", "CorkPack Embalagens Lda.", "company", "PT", ["circular-economy", "agrifood"],
  ["pt", "en", "es"], "pt",
  """Empresa de Aveiro que desenvolve embalagens alimentares compostáveis a partir de cortiça, palha e
  outros resíduos agrícolas, como alternativa ao plástico descartável. Temos uma linha piloto de
  moldagem e clientes na restauração e no retalho alimentar. Palavras-chave: embalagens sustentáveis,
  bioeconomia, compostável, economia circular, resíduos agrícolas.""",
  [("Embalagens alimentares compostáveis",
    """Tabuleiros, caixas e copos compostáveis feitos de fibras de cortiça e resíduos agrícolas,
    certificados para contacto com alimentos.""",
    "technology")],
  [("Parceiros com resíduos lignocelulósicos em grande volume",
    """Procuramos empresas agroindustriais com grandes volumes de cascas, palha ou outros resíduos vegetais
    secos (mais de 3.000 t/ano) para abastecer uma nova unidade de produção.""",
    "supply_subcontracting")])

P("ro_sunflower", "Uleiul Bărăganului SA", "company", "RO", ["agrifood", "energy", "circular-economy"],
  ["ro", "en"], "ro-cedilla",
  """Fabrică de ulei de floarea-soarelui din Slobozia care procesează anual peste 180.000 de tone de
  seminţe. Producem ulei brut şi rafinat şi şrot proteic pentru furaje, iar o parte din coji o ardem în
  centrala proprie pe biomasă. Vrem utilizări cu valoare mai mare pentru subproduse. Cuvinte cheie:
  ulei vegetal, floarea-soarelui, subproduse, biomasă, economie circulară.""",
  [("Coji de floarea-soarelui disponibile pentru valorificare",
    """Aproximativ 6.000 de tone pe an de coji de floarea-soarelui, uscate, disponibile pentru industrie,
    livrate în vrac sau peletizate.""",
    "supply_subcontracting")],
  [("Valorificarea subproduselor şi simbioză industrială",
    """Căutăm parteneri care pot transforma cojile şi alte subproduse ale fabricii în materiale sau
    produse cu valoare mai mare decât arderea lor pentru energie.""",
    "business_partnership")])

P("at_food_fund", "Alpine Food Impact Fund", "investor", "AT", ["agrifood", "circular-economy"], ["de", "en"], "en",
  """Vienna-based impact investment fund of EUR 85 million backing companies that make the food system
  more sustainable: alternative proteins, regenerative agriculture, food waste reduction and agri-tech.
  We take minority stakes and open our network of retailers and processors to portfolio companies.
  Keywords: impact investing, growth capital, food tech, alternative proteins, sustainability.""",
  [("Growth capital for sustainable food companies",
    """Growth capital of EUR 1-5 million as a minority stake, for companies with proven products and
    revenues that want to scale production or enter new markets.""",
    "investment")],
  [("Scaling food companies in Central and Eastern Europe",
    """We look for food and agri-tech companies from CEE with revenues above EUR 1 million that are raising
    a growth round.""",
    "investment")])

P("ro_plant_based", "Verde Proteina SRL", "company", "RO", ["agrifood", "biotech"], ["ro", "en"], "en",
  """Food-tech company from Timișoara producing plant-based dairy alternatives and protein ingredients
  from Romanian sunflower and peas. Our drinks and spreads are sold in 1,400 stores in Romania and
  Hungary, with revenues of EUR 2.4 million in 2024. Keywords: alternative proteins, plant-based,
  sunflower protein, food innovation, sustainable food.""",
  [("Sunflower protein ingredients for food manufacturers",
    """Deflavoured sunflower protein concentrate (60% protein) for bakery, meat alternatives and drinks,
    delivered in 25 kg bags or big bags.""",
    "supply_subcontracting")],
  [("Growth capital for a new production line",
    """We are raising a EUR 3 million growth round (Series A) to build a second production line and enter
    the Polish and Austrian markets.""",
    "investment")])

P("gr_olive", "Messinia Olive Producers' Union", "other", "GR", ["agrifood"], ["el", "en"], "en",
  """Union of 14 agricultural cooperatives in Messinia, Peloponnese, representing 3,800 olive growers. We
  mill, bottle and export extra virgin olive oil with Protected Designation of Origin (PDO) Kalamata, and
  table olives. Certified organic lines available. Keywords: olive oil, PDO, Kalamata, cooperatives,
  export, Mediterranean food.""",
  [("PDO extra virgin olive oil from Kalamata",
    """Extra virgin olive oil with PDO Kalamata status, conventional and organic, bottled under our brand or
    as private label, from one pallet to full containers.""",
    "supply_subcontracting")],
  [("Importers and distributors in Romania and Bulgaria",
    """We want to enter Romanian and Bulgarian retail through an importer or distributor focused on premium
    Mediterranean food.""",
    "distribution")])

P("ro_food_retail", "Gusturi Alese Retail SRL", "company", "RO", ["agrifood", "logistics"], ["ro", "en"], "en",
  """Chain of 28 delicatessen stores and an online shop in Romanian cities, specialised in premium and
  regional food. We import directly from European producers and also list Romanian traditional
  products. Keywords: delicatessen retail, premium food, import, olive oil, cheese, e-commerce.""",
  [("Importer and retail distributor for premium food",
    """We import, register and distribute premium food products in Romania through our 28 stores, our
    online shop and selected HoReCa customers.""",
    "distribution")],
  [("Direct supply of PDO olive oil and Mediterranean products",
    """We want to buy directly from producers of PDO/PGI olive oil, olives and cheeses instead of going
    through Western European wholesalers.""",
    "supply_subcontracting")])

# ---------------------------------------------------------------------------------------------
# Energy, climate-neutral cities
# ---------------------------------------------------------------------------------------------

P("ro_muni_energy", "Primăria Municipiului Someșeni", "public_authority", "RO", ["energy", "smart-cities"],
  ["ro", "en", "hu"], "ro",
  """Direcția pentru energie și climă a municipiului Someșeni (aproximativ 150.000 de locuitori),
  responsabilă de Planul de acțiune pentru energie durabilă și climă și de candidatura orașului la
  neutralitatea climatică până în 2030. Gestionăm peste 200 de clădiri publice și pregătim primele
  comunități de energie din oraș. Cuvinte cheie: neutralitate climatică, eficiență energetică, energie
  regenerabilă, clădiri publice.""",
  [("Clădiri publice și un cartier pilot pentru proiecte demonstrative",
    """Punem la dispoziție acoperișuri de școli și clădiri administrative, precum și un cartier pilot,
    pentru demonstrații de producție locală de energie, stocare și mobilitate electrică.""",
    "other")],
  [("Expertiză pentru comunități de energie cu participarea cetățenilor",
    """Avem nevoie de experiență practică privind modelele juridice, tarifele și implicarea cetățenilor în
    comunitățile de energie regenerabilă.""",
    "rd_cooperation")])

P("ro_muni_smart", "Primăria Municipiului Someșeni", "public_authority", "RO", ["smart-cities", "ict", "logistics"],
  ["ro", "en"], "en",
  """Smart City Directorate of Someșeni municipality. We run the city's open-data platform, the traffic
  management centre and a living lab where companies can test solutions in real streets with the
  support of city departments. Priorities: clean air, mobility and digital public services. Keywords:
  smart city, living lab, open data, urban mobility, air pollution.""",
  [("Urban living lab and test sites for smart mobility",
    """Companies can test mobility, logistics and sensing solutions on selected streets, car parks and
    public buildings, with access to city data and permits arranged by our team.""",
    "other")],
  [("Street-level air quality monitoring network",
    """We want a dense network of sensors that measures air pollution in real time in every neighbourhood,
    connected to our open-data platform.""",
    "technology")])

P("at_energy_agency", "Energieagentur Mur-Mürz", "other", "AT", ["energy", "smart-cities"], ["de", "en"], "en",
  """Regional energy agency in Styria, owned by 32 municipalities. Since 2021 we have helped set up more
  than 40 renewable energy communities, from village PV-sharing schemes to district heating
  cooperatives, and we advise municipalities on their climate strategies. Keywords: energy communities,
  renewable energy, citizen participation, municipal climate action, Interreg.""",
  [("Setting up renewable energy communities",
    """Step-by-step support for energy communities: legal structures, internal tariffs, metering,
    contracts with grid operators and citizen engagement campaigns.""",
    "other")],
  [("Partner regions for an Interreg Danube project",
    """We are building an Interreg Danube Region consortium on energy communities and look for
    municipalities and regional agencies from Romania, Moldova and Serbia.""",
    "eu_project_partner")])

P("de_battery", "ReCell Storage GmbH", "company", "DE", ["energy", "circular-economy", "automotive"],
  ["de", "en"], "en",
  """Berlin start-up founded in 2021 that gives electric-vehicle batteries a second life. We test,
  regroup and integrate used EV battery modules into stationary storage systems for commercial sites,
  farms and charging hubs. 28 employees, 60 systems installed in Germany. Keywords: battery storage,
  second-life batteries, circular economy, energy transition, start-up.""",
  [("Second-life battery storage systems",
    """Stationary storage from 50 kWh to 2 MWh built from used EV batteries, with our own battery
    management system and a 10-year performance guarantee.""",
    "technology")],
  [("Investors for our battery start-up",
    """We are raising a EUR 6 million Series A to open a second assembly site and enter Central and Eastern
    Europe.""",
    "investment"),
   ("Used EV battery packs",
    """We buy used traction batteries from dismantlers, fleets and workshops across Europe, ideally 200 or
    more packs a year.""",
    "supply_subcontracting")])

P("pl_battery", "SodiCell Sp. z o.o.", "company", "PL", ["energy", "advanced-manufacturing"], ["pl", "en"], "en+pl",
  """Spin-off from a Wrocław university developing sodium-ion battery cells for stationary energy
  storage — no lithium, no cobalt. We have a pilot line producing pouch cells and first test
  installations with a utility. Team of 15 chemists and engineers. Keywords: sodium-ion, battery cells,
  energy storage, cleantech start-up, innovation.""",
  [("Sodium-ion cells for testing",
    """Sample pouch cells and 5 kWh demonstration modules for partners who want to test sodium-ion storage
    in their systems.""",
    "technology")],
  [("Investors for our battery startup",
    """Szukamy inwestorów: we are raising a EUR 2 million seed round to scale up our pilot line.""",
    "investment"),
   ("Advanced materials characterisation",
    """We need regular access to XRD, electron microscopy and spectroscopy to speed up the development of
    our cathode materials.""",
    "technology")])

P("nl_vc", "Polder Climate Ventures", "investor", "NL", ["energy", "circular-economy"], ["nl", "en"], "en",
  """Amsterdam venture capital fund (EUR 120 million, second fund) investing in climate technology. Our
  portfolio of 22 companies covers energy storage, grid flexibility, heat and circular materials. We like
  hardware start-ups with first pilots and a clear path to scale. Keywords: venture capital, climate
  tech, energy storage, seed, Series A.""",
  [("Seed and Series A investment in climate tech",
    """Tickets of EUR 0.5-4 million in start-ups working on energy storage, batteries, grid flexibility and
    circular materials; we lead or co-lead rounds.""",
    "investment")],
  [("Climate tech start-ups from Central and Eastern Europe",
    """We want more dealflow from CEE: start-ups with working prototypes or pilots in energy storage and
    the energy transition.""",
    "investment")])

P("nl_vc_debt", "Polder Climate Ventures", "investor", "NL", ["energy", "advanced-manufacturing"],
  ["nl", "en", "de"], "en",
  """Investment manager at Polder Climate Ventures, responsible for our venture debt and co-investment
  vehicle. I work with later-stage hardware companies that need capital for production scale-up, and I
  build relationships with local funds and angel networks that co-invest alongside us. Keywords: venture
  debt, co-investment, syndication, hardware scale-up, energy transition.""",
  [("Venture debt and co-investment for hardware scale-ups",
    """Venture debt from EUR 1 million and co-investment next to a lead investor, for companies that
    already sell their hardware products.""",
    "investment")],
  [("Local co-investors in Romania and Poland",
    """We look for business angel networks and local VC funds in Romania and Poland to syndicate deals and
    share dealflow.""",
    "investment")])

P("ro_rda", "Agenția pentru Dezvoltare Regională Transilvania de Nord", "public_authority", "RO",
  ["smart-cities", "digital-innovation-hubs", "energy"], ["ro", "en", "fr"], "ro+en",
  """Agenția de dezvoltare regională gestionează programul regional cu fonduri europene și coordonează
  strategia de specializare inteligentă pentru șase județe. We support clusters, innovation vouchers and
  the regional digital innovation hub, and we are an active partner in Interreg projects. Cuvinte
  cheie: dezvoltare regională, S3, clustere, fonduri europene, inovare.""",
  [("Regional partner for Interreg Danube and Interreg Europe projects",
    """We join Interreg consortia as a regional authority, bringing policy instruments, co-financing and
    access to municipalities, clusters and industrial parks in six counties.""",
    "eu_project_partner")],
  [("Bune practici în politica de clustere și S3",
    """Căutăm regiuni și agenții din UE cu experiență în politici de clustere și în implementarea
    strategiilor de specializare inteligentă, pentru schimb de experiență și vizite de studiu.""",
    "rd_cooperation")])

P("ro_rda_startups", "Agenția pentru Dezvoltare Regională Transilvania de Nord", "public_authority", "RO",
  ["digital-innovation-hubs", "ict", "health"], ["ro", "en"], "en",
  """Start-up ecosystem officer at the regional development agency. I run the regional innovation
  voucher scheme and an investor-readiness programme for young companies in ICT, health and agrifood,
  together with incubators and universities. Keywords: start-ups, innovation vouchers, investor
  readiness, regional innovation ecosystem.""",
  [("Innovation vouchers and investor-readiness programme",
    """Start-ups from the region receive vouchers of up to EUR 20,000 for services and a six-month
    programme that prepares them to pitch to investors.""",
    "other")],
  [("Business angels and mentors for our programme",
    """We want business angels, experienced founders and investors to mentor our start-ups and sit on
    demo-day juries.""",
    "business_partnership")])

P("ro_pv", "Solaris Instal Nord SRL", "company", "RO", ["energy", "construction"], ["ro", "en"], "ro",
  """Firmă de instalații din Oradea cu 70 de angajați, specializată în sisteme fotovoltaice pentru
  firme, ferme și clădiri publice. Am instalat peste 25 MW, inclusiv proiecte finanțate prin PNRR și
  Fondul pentru Modernizare, și asigurăm mentenanță pe 10 ani. Cuvinte cheie: fotovoltaic, energie
  solară, instalații, prosumatori, tranziție energetică.""",
  [("Sisteme fotovoltaice la cheie pentru companii și clădiri publice",
    """Proiectare, obținerea avizelor, instalare și mentenanță pentru centrale fotovoltaice de la 50 kW la
    5 MW, pe acoperișuri și la sol.""",
    "business_partnership")],
  [("Furnizori de sisteme de stocare cu baterii",
    """Clienții noștri cer tot mai des stocare. Căutăm producători de sisteme de stocare a energiei în
    baterii, pentru proiecte între 100 kWh și 2 MWh, cu service în România.""",
    "supply_subcontracting")])

P("hr_hydrogen", "Adriatic Hydrogen Research Centre", "research", "HR", ["energy", "maritime"],
  ["hr", "en", "it"], "en",
  """Public research centre in Split working on green hydrogen production, storage and use in industry,
  ports and shipping. We operate an electrolyser test lab and lead feasibility studies for hydrogen
  valleys in the Adriatic. Keywords: green hydrogen, electrolysers, hydrogen valley, decarbonisation,
  Clean Hydrogen Partnership.""",
  [("Electrolyser testing and hydrogen feasibility studies",
    """Performance and durability testing of electrolyser stacks up to 100 kW, and techno-economic studies
    of hydrogen supply for industrial users.""",
    "rd_cooperation")],
  [("Industrial users with high-temperature heat demand",
    """For a Clean Hydrogen Partnership proposal we need industrial partners (ceramics, glass, metals)
    whose furnaces could switch from natural gas to hydrogen.""",
    "eu_project_partner")])

P("ro_ceramics", "Ceramica Mureș SA", "company", "RO", ["construction", "advanced-manufacturing"],
  ["ro", "en"], "en",
  """Manufacturer of ceramic tiles and facing bricks from Târgu Mureș with 420 employees. Firing in
  gas-fired tunnel kilns accounts for almost 30% of our costs and is our largest source of emissions. We
  want a more sustainable and more competitive plant. Keywords: ceramics, building materials, kilns,
  energy efficiency, CO2 emissions.""",
  [("Industrial site for demonstration projects",
    """Our plant, with high gas consumption and high-temperature heat, is available as a demonstration site
    for decarbonisation technologies.""",
    "other")],
  [("Decarbonising our kilns",
    """We look for technologies and partners to replace natural gas in our firing kilns (above 1,100 °C):
    alternative fuels, electrification or heat recovery.""",
    "technology")])

P("ro_energy_cluster", "Banat Renewable Energy Cluster", "cluster", "RO", ["energy", "construction"],
  ["ro", "en", "de", "sr"], "en",
  """Cluster from Timișoara with 55 members: installers, designers, equipment manufacturers, universities
  and energy consultants. We promote renewable energy, energy efficiency and nearly zero-energy
  buildings, and take part in European innovation and cross-border cooperation projects. Keywords:
  renewable energy, photovoltaics, energy efficiency, innovation, partnership.""",
  [("Access to 55 renewable energy companies",
    """We organise meetings with our members — installers, designers, equipment makers — for commercial
    partnerships and joint projects.""",
    "business_partnership")],
  [("Drone inspection of solar parks",
    """Members operating solar parks want drone inspection with thermal imaging to find faulty panels
    faster; we look for service providers or technology.""",
    "technology")])

# ---------------------------------------------------------------------------------------------
# Smart cities, construction, surveying
# ---------------------------------------------------------------------------------------------

P("es_air", "AireLimpio Sensores S.L.", "company", "ES", ["smart-cities", "ict", "health"], ["es", "ca", "en"], "es",
  """Empresa de Barcelona que fabrica redes de sensores de bajo coste para medir la contaminación del
  aire en las ciudades. Calibramos los sensores con inteligencia artificial frente a estaciones de
  referencia y publicamos los datos en una plataforma abierta. Más de 1.500 sensores instalados en 30
  municipios. Palabras clave: calidad del aire, sensores, ciudad inteligente, datos abiertos, salud
  urbana.""",
  [("Redes de sensores de calidad del aire",
    """Sensores de PM2.5, PM10, NO2 y ozono instalados en farolas y edificios, con datos en tiempo real,
    alertas y API para plataformas municipales.""",
    "technology")],
  [("Ayuntamientos piloto en Europa central y oriental",
    """Buscamos ciudades dispuestas a instalar una red piloto de 20 a 50 sensores durante un año, con
    posibilidad de cofinanciación europea.""",
    "business_partnership")])

P("pt_drone", "AeroInspeção Lda.", "company", "PT", ["aerospace", "ict"], ["pt", "en", "es"], "en",
  """Lisbon company specialised in drone-based inspection of energy and building assets. Our thermal and
  RGB drones, combined with AI defect-detection software, inspect solar parks, wind turbines and facades
  faster and more safely than rope-access crews. Active in Portugal, Spain and France. Keywords: drones,
  thermography, solar PV inspection, wind turbines, AI.""",
  [("Drone-based thermographic inspection of solar parks",
    """Thermal and RGB drone surveys of PV plants and wind turbines with automatic detection of hot spots,
    broken cells and soiling, delivered as a georeferenced report.""",
    "technology")],
  [("Local drone operators in Romania and Bulgaria",
    """To serve clients in South-East Europe we need local partners with licensed drone pilots who can fly
    missions following our procedures and software.""",
    "business_partnership")])

P("ro_geo_survey", "GeoDron Survey SRL", "company", "RO", ["construction", "smart-cities"], ["ro", "en"], "ro",
  """Firmă de topografie și cadastru din Brașov, cu 6 piloți de drone autorizați de autoritatea
  aeronautică. Facem ridicări topografice, fotogrammetrie, scanare laser 3D și modele digitale ale
  terenului pentru constructori, primării și proiectanți. Cuvinte cheie: topografie, drone, scanare
  laser, nori de puncte, BIM.""",
  [("Zboruri cu drone și ridicări topografice",
    """Echipă de 6 piloți autorizați și o flotă de 9 drone pentru fotogrammetrie, ortofotoplanuri și
    inspecții în toată România.""",
    "business_partnership")],
  [("Software scan-to-BIM",
    """Căutăm un software care să transforme automat norii de puncte din scanările noastre laser în modele
    BIM (IFC), ca să reducem munca manuală de modelare.""",
    "technology")])

P("cz_scan2bim", "PointCloud Labs s.r.o.", "company", "CZ", ["construction", "ict"], ["cs", "en", "de"], "en",
  """Brno software company developing machine-learning tools that turn laser scans of buildings and
  infrastructure into 3D models. Our customers are surveyors, architects and facility managers.
  Keywords: point clouds, BIM, IFC, laser scanning, machine learning, digital twins.""",
  [("Automatic point cloud to BIM conversion",
    """Cloud software that recognises walls, slabs, columns, pipes and windows in point clouds and exports
    an editable IFC model, cutting modelling time by up to 70%.""",
    "technology")],
  [("Resellers among surveying companies in Romania and the Balkans",
    """We look for surveying and laser-scanning companies that want to resell our software and provide
    local training.""",
    "distribution")])

P("ro_smart_cluster", "Crișana Smart City Cluster", "cluster", "RO", ["smart-cities", "ict", "energy"],
  ["ro", "en", "hu"], "en",
  """Cluster from Oradea bringing together eight municipalities, 40 technology SMEs, two universities and
  the county council to develop smart city solutions. We help cities prepare climate neutrality plans
  and organise pilots of new technologies in real urban settings. Keywords: smart city, climate
  neutrality, urban innovation, pilots, quadruple helix.""",
  [("Pilot projects in our member municipalities",
    """We connect solution providers with our eight member cities and organise pilots in mobility, energy,
    air quality and digital public services, including permits and evaluation.""",
    "business_partnership")],
  [("Partnership with mission cities on net-zero planning",
    """We want to learn from cities in the EU Mission for 100 climate-neutral cities about climate city
    contracts and how to plan investments for net zero by 2030.""",
    "eu_project_partner")])

P("fr_metropole", "Métropole Rhône-Saône", "public_authority", "FR", ["smart-cities", "energy", "construction"],
  ["fr", "en"], "fr",
  """Métropole de 600 000 habitants engagée dans la mission européenne « 100 villes neutres pour le
  climat et intelligentes ». Notre direction de la transition écologique pilote le Contrat de Ville
  Climat, la rénovation du parc de logements sociaux et les partenariats avec les villes jumelles.
  Mots-clés : neutralité carbone, rénovation énergétique, logement social, ville durable.""",
  [("Partage d'expérience sur le Contrat de Ville Climat",
    """Nous accueillons des délégations et accompagnons des villes jumelles : élaboration du Contrat de
    Ville Climat, plan d'investissement, gouvernance avec les acteurs locaux.""",
    "other")],
  [("Solutions de rénovation énergétique rapide des logements sociaux",
    """Nous cherchons des entreprises proposant des solutions industrialisées pour rénover rapidement les
    logements sociaux, avec des travaux en site occupé.""",
    "business_partnership")])

P("nl_retrofit", "Schil Renovatie B.V.", "company", "NL", ["construction", "energy", "circular-economy"],
  ["nl", "en"], "en",
  """Rotterdam company that renovates terraced houses and apartment blocks to net-zero energy with
  factory-made facade and roof elements. Measurement by drone and 3D scan, production in the factory,
  installation in about ten days while tenants stay at home. More than 2,000 homes renovated. Keywords:
  offsite renovation, net zero, prefabrication, social housing.""",
  [("Prefabricated net-zero retrofit of social housing",
    """Insulated facade and roof modules with integrated windows, ventilation and solar panels, installed in
    about ten days per home without rehousing tenants.""",
    "technology")],
  [("Manufacturers of timber-frame facade elements in CEE",
    """To serve new markets we need factories in Central and Eastern Europe that can produce timber-frame
    wall elements to our specifications.""",
    "supply_subcontracting")])

P("ro_timber_frame", "Casa Lemn Prefab SRL", "company", "RO", ["construction", "wood-furniture"],
  ["ro", "en", "de"], "ro",
  """Fabrică din Harghita care produce case și elemente prefabricate pe structură de lemn, cu o linie
  automatizată pentru pereți și planșee. Exportăm în Austria și Germania și vrem să intrăm pe piața de
  renovare a clădirilor. Cuvinte cheie: construcții din lemn, prefabricate, case pasive, eficiență
  energetică.""",
  [("Panouri prefabricate cu structură din lemn",
    """Pereți, planșee și acoperișuri prefabricate pe structură de lemn, izolate, cu ferestre montate,
    capacitate de 40.000 m² pe an.""",
    "supply_subcontracting")],
  [("Licență pentru renovarea rapidă a blocurilor",
    """Căutăm know-how sau o licență pentru sisteme de renovare energetică rapidă a blocurilor de locuințe
    cu module prefabricate, pe care să le producem în fabrica noastră.""",
    "technology")])

P("ro_green_build", "Clusterul Construcții Verzi Nord-Vest", "cluster", "RO",
  ["construction", "circular-economy", "energy"], ["ro", "en"], "en",
  """Cluster from Oradea with 50 members: construction firms, architects, building material producers, a
  university and municipalities. We want to cut the carbon footprint of buildings and use far more
  secondary raw materials on our sites. Keywords: green building, efficient buildings, circular
  construction, innovation, sustainability.""",
  [("Real construction sites for testing new solutions",
    """Our members offer construction sites and buildings under construction for piloting new materials
    and technologies.""",
    "rd_cooperation")],
  [("Building materials made from demolition waste",
    """We look for producers or technologies for recycled aggregates and low-carbon concrete made from
    construction and demolition waste.""",
    "technology")])

P("be_rebeton", "ReBéton SA", "company", "BE", ["construction", "circular-economy"], ["fr", "nl", "en"], "en",
  """Walloon company that turns construction and demolition waste into certified recycled aggregates and
  low-carbon concrete. Our mobile crushing and washing plants and a patented carbonation step reduce the
  CO2 footprint of concrete by up to 40%. Keywords: recycled aggregates, low-carbon concrete, demolition
  waste, circular construction.""",
  [("Recycled aggregates and low-carbon concrete",
    """Certified recycled aggregates and ready-mix concrete with up to 50% recycled content, plus technical
    support for using them in buildings.""",
    "technology")],
  [("Licensees or joint-venture partners in Central and Eastern Europe",
    """We want construction or waste-management companies in CEE to license our process or build a plant
    with us.""",
    "business_partnership")])

P("ro_building_dist", "ConstructMarket Distribuție SRL", "company", "RO", ["construction", "logistics"],
  ["ro", "en", "it"], "ro",
  """Distribuitor național de materiale de construcții și finisaje, cu 120 de magazine partenere și 4
  depozite regionale. Vindem vopsele, lacuri, adezivi, termoizolații și materiale pentru amenajări
  interioare către magazine de bricolaj și constructori. Cuvinte cheie: distribuție, materiale de
  construcții, vopsele, finisaje, retail.""",
  [("Distribuție prin 120 de magazine partenere în România",
    """Listăm produse noi în rețeaua noastră de magazine de materiale de construcții și bricolaj, cu
    logistică proprie și agenți de vânzări.""",
    "distribution")],
  [("Producători europeni de vopsele și lacuri ecologice",
    """Căutăm producători de vopsele, lacuri și produse de finisare pe bază de apă sau cu emisii reduse,
    pe care să le importăm și să le distribuim în România.""",
    "distribution")])

P("fi_symbiosis", "Arctic Circular Economy Cluster", "cluster", "FI", ["circular-economy", "energy", "advanced-manufacturing"],
  ["fi", "sv", "en"], "en",
  """Silver-label cluster from Finnish Lapland working on industrial symbiosis between mines, sawmills,
  energy producers and manufacturers. We developed an operational model and a toolbox that help
  industrial parks exchange side streams, heat and water. Keywords: industrial symbiosis, circular
  economy, side streams, industrial parks, cooperation.""",
  [("Industrial symbiosis model and toolbox",
    """A tested step-by-step model for industrial symbiosis: mapping companies' side streams, building the
    stakeholder network, prioritising exchanges and financing them.""",
    "other")],
  [("Regions to replicate our model in an Interreg Europe project",
    """We look for regional authorities and industrial parks in other countries to transfer our industrial
    symbiosis model within an Interreg Europe project.""",
    "eu_project_partner")])

P("ro_ind_park", "Parcul Industrial Someș Nord", "public_authority", "RO",
  ["advanced-manufacturing", "circular-economy", "logistics"], ["ro", "en"], "en",
  """Industrial park run by the county council, with 35 resident companies from the automotive, furniture
  and food industries and 40 hectares still available. We offer infrastructure, tax facilities and
  support to investors. Keywords: industrial park, investment, infrastructure, sustainable
  development.""",
  [("Land and ready-built halls for investors",
    """Plots of 1-10 hectares with utilities, turnkey halls and help with permits for companies that want
    to produce in north-western Romania.""",
    "business_partnership")],
  [("Exchanging waste, heat and water between resident companies",
    """We want resident companies to reuse each other's waste, surplus heat and water, and look for a
    proven methodology and experienced partners to organise it.""",
    "rd_cooperation")])

# ---------------------------------------------------------------------------------------------
# ICT, software, cybersecurity, skills
# ---------------------------------------------------------------------------------------------

P("ro_itc", "Transilvania Digital Cluster", "cluster", "RO", ["ict", "digital-innovation-hubs"],
  ["ro", "en", "hu"], "en",
  """Cluster manager of one of Romania's largest IT clusters: 120 member companies (software, embedded,
  AI, gaming), universities and public partners in Cluj. Member of the national network of IT clusters.
  We support internationalisation, talent development and research cooperation. Keywords: software
  development, nearshoring, AI, cluster cooperation, innovation.""",
  [("Access to 120 IT companies for nearshoring and joint bids",
    """We match foreign companies with member firms for software development, embedded systems and AI
    projects, and help build consortia for public tenders.""",
    "business_partnership")],
  [("Foreign clusters for joint internationalisation",
    """We look for partner clusters abroad for joint trade missions, delegations and a common Euroclusters
    project under the Single Market Programme.""",
    "eu_project_partner")])

P("ro_itc_projects", "Transilvania Digital Cluster", "cluster", "RO", ["ict", "digital-innovation-hubs"],
  ["ro", "en", "de"], "en",
  """EU projects and skills manager at Transilvania Digital Cluster. I coordinate our participation in
  Digital Europe and Erasmus+ projects and run the training academy for our member companies.
  Keywords: digital skills, AI training, cybersecurity training, EU projects, software companies.""",
  [("AI and cybersecurity training for company staff",
    """Short practical courses in applied AI, data engineering and cybersecurity for employees of software
    SMEs, co-funded through the Digital Europe Programme.""",
    "other")],
  [("Companies looking for Romanian software partners",
    """We organise incoming delegations and look for foreign companies and clusters that want to find
    software development partners in Romania.""",
    "business_partnership")])

P("be_ict_cluster", "Cluster TIC Meuse-Sambre", "cluster", "BE", ["ict", "digital-innovation-hubs", "creative-industries"],
  ["fr", "en", "nl"], "fr+en",
  """Cluster wallon des technologies numériques : 180 entreprises, centres de recherche et universités.
  We help members grow internationally through business missions, Euroclusters projects and
  partnerships with clusters across Europe. Mots-clés : numérique, internationalisation, coopération
  entre clusters, PME, innovation.""",
  [("Missions d'affaires et accueil de délégations en Wallonie",
    """Nous organisons des missions d'entreprises à l'étranger et accueillons des délégations étrangères,
    avec des rendez-vous B2B ciblés auprès de nos membres.""",
    "business_partnership")],
  [("Partner clusters in Central and Eastern Europe",
    """We are looking for ICT clusters in Central and Eastern Europe for a joint internationalisation project
    under the Single Market Programme (Euroclusters).""",
    "eu_project_partner")])

P("ro_embedded", "Carpathia Embedded Systems SRL", "company", "RO", ["ict", "automotive"],
  ["ro", "en", "de"], "en",
  """Engineering company from Brașov with 140 engineers developing and testing embedded software for
  automotive and industrial customers. We run hardware-in-the-loop labs and have worked under ISO 26262
  and ASPICE for ten years. Our next step is aerospace. Keywords: embedded software, functional safety,
  HIL testing, ISO 26262, DO-178C.""",
  [("Safety-critical embedded software testing",
    """Requirements-based testing, HIL test benches, code coverage analysis and tool qualification for
    safety-critical software according to ISO 26262 and DO-178C.""",
    "technology")],
  [("Entry into the aerospace supply chain",
    """We look for aircraft manufacturers and tier-1 suppliers in France and Germany that could qualify us
    as a supplier of software engineering services.""",
    "business_partnership")])

P("fr_aero", "Aérostructures Garonne SA", "company", "FR", ["aerospace", "advanced-manufacturing"], ["fr", "en"], "fr",
  """Équipementier aéronautique de rang 1 basé à Toulouse, 1 800 salariés, spécialisé dans les systèmes
  de commandes de vol et les aérostructures. Nous développons notre chaîne d'approvisionnement en Europe
  centrale et orientale pour accompagner la montée en cadence. Mots-clés : aéronautique, avionique,
  sous-traitance, EN 9100, chaîne d'approvisionnement.""",
  [("Programme de qualification de fournisseurs PME",
    """Audit, plan de progrès et accompagnement vers la certification EN 9100 pour les PME qui souhaitent
    devenir nos fournisseurs.""",
    "business_partnership")],
  [("Sous-traitance en vérification et validation de logiciels avioniques",
    """Nous cherchons des sociétés d'ingénierie capables de réaliser les tests et la vérification de
    logiciels embarqués critiques selon la DO-178C.""",
    "supply_subcontracting")])

P("ro_cyber", "Scutul Digital SRL", "company", "RO", ["ict"], ["ro", "en"], "ro",
  """Companie de securitate cibernetică din București cu 35 de specialiști certificați (OSCP, CISSP,
  GICSP). Lucrăm pentru bănci, operatori de energie și porturi, cu accent pe sistemele industriale și pe
  noile obligații NIS2. Cuvinte cheie: securitate cibernetică, teste de penetrare, NIS2, OT, SCADA,
  audit.""",
  [("Teste de penetrare și audit NIS2 pentru sisteme industriale",
    """Teste de penetrare, evaluări de conformitate NIS2 și securizarea rețelelor OT/SCADA pentru operatori
    de energie, porturi și fabrici.""",
    "technology")],
  [("Distribuitori și parteneri în Republica Moldova și Ucraina",
    """Căutăm parteneri locali care să ne reprezinte serviciile în Republica Moldova și Ucraina, în special
    către bănci și operatori de infrastructură critică.""",
    "distribution")])

P("cz_cyber", "Bastion Security s.r.o.", "company", "CZ", ["ict"], ["cs", "en", "uk"], "en",
  """Prague-based cybersecurity firm with 50 ethical hackers and consultants. We test the security of
  banks, insurers and e-commerce platforms and help them prepare for NIS2 and DORA. Keywords: penetration
  testing, red teaming, NIS2, DORA, cybersecurity consulting.""",
  [("Penetration testing and NIS2 readiness assessments",
    """Web, mobile and network penetration tests, red-team exercises and gap analyses against NIS2 and DORA
    requirements.""",
    "technology")],
  [("Resellers in Moldova, Ukraine and Romania",
    """We want channel partners in Moldova, Ukraine and Romania who can resell our services to banks and
    large companies.""",
    "distribution")])

P("md_it", "Moldova Tech Alliance", "other", "MD", ["ict", "digital-innovation-hubs"], ["ro", "ru", "en"], "ro+en",
  """Asociația reunește 95 de companii IT din Republica Moldova, de la start-up-uri la centre de
  dezvoltare ale unor companii internaționale. We promote the Moldovan IT sector abroad and help foreign
  companies enter the local market. Cuvinte cheie: IT, export de servicii, digitalizare, educație,
  parteneriate.""",
  [("Acces la piața din Republica Moldova",
    """Organizăm întâlniri B2B cu bănci, operatori de telecomunicații, instituții publice și companii IT din
    Moldova pentru firmele străine care vor să intre pe piață.""",
    "distribution")],
  [("AI and cybersecurity upskilling for member companies",
    """Our members need training programmes in artificial intelligence and cybersecurity for their
    developers and managers, ideally with EU co-funding.""",
    "other")])

P("ua_it", "LvivSoft Development LLC", "company", "UA", ["ict"], ["uk", "en", "pl"], "en",
  """Software development company from Lviv with 260 engineers, 40% of them on healthcare projects. We
  build patient apps, telemedicine platforms and integrations with hospital systems for clients in the
  US and the EU. Keywords: software outsourcing, mobile apps, cloud, HL7 FHIR, healthcare IT.""",
  [("Dedicated development teams for healthtech",
    """Mobile app, web and cloud backend developers with experience in medical device software (IEC 62304)
    and HL7/FHIR integrations.""",
    "business_partnership")],
  [("EU healthtech companies needing development capacity",
    """We are looking for medtech and digital health companies in the EU that need to extend their
    software teams.""",
    "business_partnership")])

P("ro_voice_ai", "Vocea AI SRL", "company", "RO", ["ict"], ["ro", "hu", "en"], "en",
  """Start-up from Cluj building speech recognition and voice assistants for Romanian and Hungarian,
  languages poorly served by global platforms. Our voice bots already answer calls for two utilities and
  a hospital. Team of 9, spun off from a university speech lab. Keywords: speech recognition, voice bots,
  natural language processing, AI start-up.""",
  [("Speech recognition and voice bots for Romanian and Hungarian",
    """Accurate speech-to-text and conversational voice bots for call centres, public services and
    healthcare, deployable on premises.""",
    "technology")],
  [("Pre-seed / seed investment",
    """We are raising EUR 400,000 to grow the team and sign our first clients outside Romania.""",
    "investment")])

P("ro_uni_cs", "Universitatea Banatului din Timișoara – Facultatea de Informatică", "university", "RO",
  ["ict", "logistics"], ["ro", "en"], "ro+en",
  """Facultate de informatică cu 2.400 de studenți și un grup de cercetare în optimizare combinatorie și
  cercetări operaționale. We collaborate with manufacturing and logistics companies on planning problems
  and co-supervise industrial PhDs. Keywords: optimisation, operations research, constraint programming,
  algorithms, industrial PhD.""",
  [("Algoritmi de optimizare pentru planificare și rutare",
    """Grupul nostru dezvoltă modele de programare cu constrângeri și metaeuristici pentru planificarea
    producției, alocarea resurselor și rutarea vehiculelor, validate pe date reale.""",
    "rd_cooperation")],
  [("Industrial PhD topics and internships",
    """We look for companies that can host students for internships and co-supervise industrial PhD theses
    on real optimisation problems.""",
    "other")])

P("ro_it_banat", "Timiș Software Cluster", "cluster", "RO", ["ict"], ["ro", "en", "de", "sr"], "en",
  """IT cluster from Timișoara with 75 member companies — software product firms, outsourcing companies,
  start-ups — and two universities. Member of the national network of IT clusters. We work on talent,
  internationalisation and innovation for the IT sector in western Romania. Keywords: software, IT
  services, talent, digital skills, cluster cooperation.""",
  [("Access to 75 software companies in western Romania",
    """Foreign partners can meet our members for outsourcing, joint product development or investment in
    local IT companies.""",
    "business_partnership")],
  [("IT reskilling bootcamps for career changers",
    """Our members cannot hire enough developers. We want a partner that runs intensive reskilling
    bootcamps to bring people from other professions into IT jobs.""",
    "other")])

P("lt_bootcamp", "CodeBridge Academy UAB", "company", "LT", ["ict"], ["lt", "en", "ru"], "en",
  """Vilnius-based tech education company that has retrained 4,000 adults — teachers, nurses, logistics
  workers — as junior developers, testers and data analysts. We run intensive 16-week bootcamps with
  employer partners who shape the curriculum and hire graduates. Keywords: reskilling, bootcamp, digital
  skills, IT talent, career change.""",
  [("Reskilling bootcamps for career changers",
    """Intensive bootcamps that turn adults from other professions into junior developers and QA engineers,
    delivered with local partners and co-designed with hiring companies.""",
    "other")],
  [("Employer partners in Romania",
    """We look for an IT cluster or employer association in Romania that co-designs bootcamps with us and
    whose members commit to hiring graduates.""",
    "business_partnership")])

# ---------------------------------------------------------------------------------------------
# Automotive transition, batteries, aerospace
# ---------------------------------------------------------------------------------------------

P("ro_auto_cluster", "Auto Banat-Crișana Cluster", "cluster", "RO", ["automotive", "advanced-manufacturing"],
  ["ro", "en", "de"], "en",
  """Automotive cluster of western Romania with 78 members: tier-1 and tier-2 suppliers, SMEs, two
  technical universities and vocational schools. We strengthen the regional supply chain, skills and
  innovation as the industry shifts to electric vehicles. Keywords: automotive suppliers, e-mobility,
  skills, supply chain, industrial transition.""",
  [("Access to tier-2 and tier-3 suppliers in western Romania",
    """Sourcing support and supplier days with our members: machining, plastic injection, die casting,
    wiring harnesses, electronics.""",
    "business_partnership")],
  [("Reskilling programmes for the move to electric vehicles",
    """Our member companies need programmes to requalify workers from combustion-engine components to EV
    components, high-voltage safety and battery assembly.""",
    "rd_cooperation")])

P("es_auto_cluster", "Clúster de Automoción del Ebro", "cluster", "ES", ["automotive", "advanced-manufacturing"],
  ["es", "en", "fr"], "en",
  """Automotive cluster from Aragón with 110 members around a large vehicle assembly plant. We run a
  training academy for the electrification of the supply chain and coordinate projects on
  decarbonisation and digitalisation of suppliers. Keywords: automotive, electrification, training,
  decarbonisation, supply chain, cluster cooperation.""",
  [("Training academy for vehicle electrification",
    """Courses for operators, technicians and engineers on battery assembly, high-voltage safety and
    electric powertrains, also available as train-the-trainer packages for other regions.""",
    "other")],
  [("Clusters to exchange practices on supply chain decarbonisation",
    """We want to exchange experience with automotive clusters in Europe on measuring and reducing the
    carbon footprint of supplier companies.""",
    "eu_project_partner")])

P("cz_recycling", "Brno Institute of Chemical Process Technology", "research", "CZ",
  ["circular-economy", "automotive", "energy"], ["cs", "en"], "en",
  """Public research institute developing processes to recover critical raw materials from waste. Our
  battery team operates a hydrometallurgical pilot line for lithium-ion batteries and works with
  carmakers and recyclers on closing the loop for battery materials. Keywords: battery recycling,
  critical raw materials, hydrometallurgy, black mass, circular economy.""",
  [("Recovery of lithium, nickel and cobalt from spent batteries",
    """Hydrometallurgical recycling of black mass at pilot scale (up to 50 kg per day) with high recovery
    rates, for joint projects or toll processing.""",
    "technology")],
  [("End-of-life EV batteries for pilot testing",
    """We need steady quantities of spent electric-vehicle battery packs or production scrap to feed our
    pilot line and a planned demonstration plant.""",
    "supply_subcontracting")])

P("ro_dismantler", "Reciclare Auto Vest SRL", "company", "RO", ["automotive", "circular-economy"], ["ro", "en"], "ro",
  """Firmă autorizată din Arad pentru colectarea și dezmembrarea vehiculelor scoase din uz, cu 60 de
  angajați și o capacitate de 8.000 de vehicule pe an. Primim tot mai multe mașini electrice și hibride
  și vrem să gestionăm responsabil acumulatorii lor. Cuvinte cheie: VSU, dezmembrări auto, reciclare,
  piese second-hand, economie circulară.""",
  [("Acumulatori de tracțiune din vehicule dezmembrate",
    """Colectăm și demontăm în siguranță acumulatorii mașinilor electrice și hibride — peste 300 de
    pachete pe an — și îi putem livra partenerilor de reciclare sau reutilizare.""",
    "supply_subcontracting")],
  [("Parteneri pentru reciclarea sau reutilizarea bateriilor litiu-ion",
    """Căutăm companii care pot prelua bateriile pentru reutilizare în sisteme de stocare sau pentru
    reciclare, cu transport conform reglementărilor ADR.""",
    "business_partnership")])

P("ro_aero_cluster", "Carpathian Aerospace Cluster", "cluster", "RO", ["aerospace", "advanced-manufacturing"],
  ["ro", "en", "fr"], "en",
  """Aerospace cluster from Brașov with 32 members: aerostructure and engine-part suppliers, MRO
  companies, a technical university and an aeronautical research institute. Several members hold NADCAP
  approvals for special processes. We help members climb the supply chain and adopt new materials.
  Keywords: aerospace, NADCAP, titanium machining, composites, MRO.""",
  [("Aerospace machining and special processes",
    """Member companies offer titanium and aluminium machining of aerostructure parts, NADCAP-approved heat
    treatment, surface treatment and non-destructive testing.""",
    "supply_subcontracting")],
  [("Training in thermoplastic composites",
    """We need training and technology transfer in thermoplastic composites and automated fibre placement
    so that our members can bid for new aircraft programmes.""",
    "rd_cooperation")])

P("de_composites", "Lightweight Composites Institute Augsburg", "research", "DE",
  ["aerospace", "advanced-manufacturing"], ["de", "en"], "en",
  """Applied research institute with 160 staff working on lightweight structures for aviation and space.
  We operate industrial-scale automated fibre placement and thermoplastic welding cells and run a
  training centre for composite technicians. Keywords: composites, thermoplastics, automated fibre
  placement, Clean Aviation, lightweight design.""",
  [("Training and technology transfer in thermoplastic composites",
    """Courses and joint projects on thermoplastic composites, automated fibre placement (AFP) and welding
    of composite parts, for engineers and technicians.""",
    "rd_cooperation")],
  [("Machining and NDT suppliers from CEE for a Clean Aviation proposal",
    """We need aerospace suppliers from Central and Eastern Europe for machining of metallic fittings and
    non-destructive testing in a Clean Aviation consortium.""",
    "eu_project_partner")])

# ---------------------------------------------------------------------------------------------
# Health, biotech, life-science investors
# ---------------------------------------------------------------------------------------------

P("ro_umf", "Transilvania University of Medicine and Pharmacy", "university", "RO", ["health", "biotech"],
  ["ro", "en", "fr", "hu"], "en",
  """Medical university in Cluj with a university hospital network, a cardiology research centre and a
  clinical investigation unit accredited for medical device studies. We work with companies on
  telemedicine, wearables and digital therapeutics. Keywords: clinical research, cardiology, medical
  devices, telemedicine, digital health.""",
  [("Clinical investigations for medical devices",
    """Our clinical investigation unit designs and runs studies under ISO 14155 and the MDR, with access
    to cardiology patients and an ethics committee that meets monthly.""",
    "rd_cooperation")],
  [("Medtech companies for joint research on remote monitoring",
    """We look for medtech companies to co-develop and evaluate remote patient monitoring solutions in
    joint Horizon Europe or EU4Health projects.""",
    "rd_cooperation")])

P("hu_medtech", "CardioPatch Kft.", "company", "HU", ["health", "ict"], ["hu", "en"], "en",
  """Budapest medtech start-up developing a 7-day wearable ECG patch with AI-based arrhythmia detection
  and a remote monitoring platform for cardiologists. CE marking under the MDR is in preparation. Team
  of 14. Keywords: wearable, ECG, arrhythmia, remote monitoring, MDR, medical device.""",
  [("Wearable ECG patch and remote monitoring platform",
    """A disposable 7-day ECG patch with cloud analysis that flags atrial fibrillation and other
    arrhythmias for the cardiologist.""",
    "technology")],
  [("Clinical partner for our validation study",
    """We need a hospital or clinical research unit to run the clinical validation study required for CE
    marking under the MDR.""",
    "rd_cooperation"),
   ("Mobile app and cloud backend developers",
    """We want to outsource development of our patient app and scale our cloud backend; healthcare
    software experience is a must.""",
    "supply_subcontracting"),
   ("Series A investment",
    """We are preparing a EUR 5 million Series A to finance certification and market entry in the DACH
    region.""",
    "investment")])

P("it_lifesci_fund", "Fondo Innovazione Adriatico SGR", "investor", "IT", ["health", "biotech", "ict"],
  ["it", "en"], "en",
  """Venture capital manager from Bologna with EUR 150 million under management, investing in life
  sciences and digital health. We back medtech, diagnostics and biotech companies from Series A onwards,
  in Italy and in Central and Eastern Europe. Keywords: venture capital, life sciences, medtech, digital
  health, Series A.""",
  [("Series A and B investment in medtech and digital health",
    """Tickets of EUR 2-8 million for medical device, diagnostics and digital health companies with
    clinical evidence or a clear regulatory path.""",
    "investment")],
  [("Medtech and biotech start-ups from CEE",
    """We look for medtech and biotech start-ups from Central and Eastern Europe that are preparing their
    Series A.""",
    "investment")])

P("ro_health_cluster", "Clusterul Medical Iaşi", "cluster", "RO", ["health", "ict"], ["ro", "en", "fr"], "ro-cedilla",
  """Cluster regional de sănătate din Iaşi cu 52 de membri: clinici private, laboratoare, firme IT
  medicale, universitatea de medicină şi spitale judeţene. Susţinem inovarea în serviciile medicale şi
  accesul pacienţilor din zonele rurale la îngrijire de calitate. Cuvinte cheie: sănătate, e-sănătate,
  clinici, inovare, acces la servicii medicale.""",
  [("Reţea de clinici pentru testarea soluţiilor digitale în sănătate",
    """35 de clinici private şi laboratoare membre pot testa aplicaţii şi dispozitive noi în condiţii
    reale, cu feedback de la medici şi pacienţi.""",
    "rd_cooperation")],
  [("Platforme de telemedicină pentru zonele rurale",
    """Căutăm soluţii de teleconsultaţie şi de monitorizare la distanţă a pacienţilor cronici din satele
    fără medic de familie.""",
    "technology")])

P("se_telehealth", "Glesbygd Health AB", "company", "SE", ["health", "ict"], ["sv", "en", "fi"], "en",
  """Swedish digital health company born in Norrbotten, where the nearest doctor can be 200 km away. Our
  virtual care platform connects patients in sparsely populated areas with nurses and doctors through
  video, home measurement kits and follow-up programmes for chronic diseases. Used by four Swedish
  regions. Keywords: virtual care, remote consultation, chronic care, rural health, e-health.""",
  [("Virtual care platform for remote areas",
    """Video consultations, home measurement kits and structured follow-up of diabetes, COPD and heart
    failure patients, integrated with electronic health records.""",
    "technology")],
  [("Clinical networks to pilot our platform in new markets",
    """We look for clinic networks, health clusters or regional health providers in Central and Eastern
    Europe to run pilots with real patients.""",
    "business_partnership")])

P("ro_algae", "AlgaBio Carpați SRL", "company", "RO", ["biotech", "agrifood", "health"], ["ro", "en"], "en",
  """Biotech SME from Sibiu cultivating microalgae in photobioreactors and extracting natural pigments and
  proteins. Our phycocyanin (a natural blue colour) and spirulina powders are sold to food and cosmetics
  companies. We want to scale production tenfold. Keywords: microalgae, spirulina, phycocyanin,
  biotechnology, natural colours, bioeconomy.""",
  [("Microalgae biomass and natural blue colour",
    """Spirulina and chlorella powders and phycocyanin extract for food, supplements and cosmetics, with
    full batch documentation.""",
    "supply_subcontracting")],
  [("Scale-up partner for cultivation and extraction",
    """We need a pilot facility or CDMO that can help us scale up cultivation and downstream processing
    from 1 m³ to 20 m³.""",
    "technology")])

P("nl_biopilot", "Delta Bioprocess Pilot Facility", "research", "NL", ["biotech", "circular-economy", "agrifood"],
  ["nl", "en"], "en",
  """Open-access pilot plant in Zeeland for the bio-based economy. Companies use our fermentation, algae
  cultivation and downstream processing equipment to scale up their processes from lab to demonstration
  scale. Keywords: bioprocess scale-up, fermentation, downstream processing, bio-based economy, CDMO.""",
  [("Process scale-up and toll manufacturing",
    """Fermentation, algae cultivation and downstream processing from 10 L to 15 m³, with process engineers
    who support scale-up and techno-economic analysis.""",
    "technology")],
  [("Partners for a Circular Bio-based Europe (CBE JU) proposal",
    """We are building a consortium for a CBE JU call on valorising agri-food side streams and need SMEs
    that own promising bio-based products.""",
    "eu_project_partner")])

P("it_probiotic", "Fermenti Tirreno S.r.l.", "company", "IT", ["biotech", "health", "agrifood"], ["it", "en"], "en",
  """Italian biotech company near Naples that selects, patents and produces probiotic strains for dietary
  supplements and functional foods. Our clinical studies cover gut health, immunity and women's health.
  Exports to 25 countries through local partners. Keywords: probiotics, microbiome, food supplements,
  nutraceuticals, clinical studies.""",
  [("Patented probiotic strains and finished supplements",
    """Clinically studied probiotic strains as raw material or as finished products (capsules, sachets,
    drops), also under the partner's brand.""",
    "supply_subcontracting")],
  [("Distributors of food supplements in Central and Eastern Europe",
    """We look for importers and distributors with access to pharmacies in Romania, Bulgaria and
    Hungary.""",
    "distribution")])

P("ro_pharma_dist", "FarmaDistrib Est SRL", "company", "RO", ["health", "logistics"], ["ro", "en"], "ro",
  """Distribuitor de produse farmaceutice OTC, suplimente alimentare și dermatocosmetice cu sediul în
  Iași; livrăm zilnic către peste 2.000 de farmacii din România. Avem echipă proprie de reprezentanți
  medicali și un departament de notificare a produselor. Cuvinte cheie: distribuție farmaceutică,
  suplimente, farmacii, OTC, import.""",
  [("Distribuție către peste 2.000 de farmacii",
    """Importăm, notificăm și distribuim suplimente alimentare și produse OTC, cu promovare prin cei 40 de
    reprezentanți medicali ai noștri.""",
    "distribution")],
  [("Producători europeni de suplimente inovatoare",
    """Căutăm producători de probiotice, nutraceutice și alte suplimente cu studii clinice, care vor să
    intre pe piața din România printr-un importator exclusiv.""",
    "distribution")])

P("ro_materials", "Institutul de Cercetare pentru Materiale Avansate Cluj", "research", "RO",
  ["advanced-manufacturing"], ["ro", "en"], "ro",
  """Institut național de cercetare-dezvoltare cu 180 de cercetători în fizică, chimie și știința
  materialelor. Avem laboratoare de caracterizare de nivel european și un portofoliu de brevete în
  nanomateriale și acoperiri funcționale, pe care vrem să le ducem pe piață împreună cu industria.
  Cuvinte cheie: nanomateriale, caracterizare, transfer tehnologic, brevete, cooperare.""",
  [("Caracterizare avansată a materialelor",
    """Difracție de raze X (XRD), microscopie electronică (SEM, TEM), spectroscopie RMN și Raman, ca
    servicii pentru companii sau în proiecte comune.""",
    "technology"),
   ("Licență pentru acoperiri antibacteriene cu nanoparticule",
    """Tehnologie brevetată de depunere a nanoparticulelor de argint și oxid de zinc pe fibre textile, cu
    efect antibacterian care rezistă la peste 50 de spălări.""",
    "technology")],
  [("Parteneri industriali pentru transfer tehnologic",
    """Căutăm companii care să licențieze și să industrializeze tehnologia noastră de acoperiri
    antibacteriene pentru textile medicale.""",
    "business_partnership")])

P("pt_medtextiles", "Têxteis Técnicos do Ave Lda.", "company", "PT", ["textiles", "health"], ["pt", "en", "es"], "pt",
  """Empresa de Guimarães que produz têxteis técnicos para hospitais e lares: batas, lençóis, cortinas e
  fardamentos com propriedades funcionais. Temos tecelagem, acabamentos e confeção próprios, e um
  departamento de I&D que trabalha com universidades. Palavras-chave: têxteis técnicos, têxteis
  hospitalares, acabamentos funcionais, inovação.""",
  [("Industrialização de acabamentos funcionais em têxteis",
    """Linha de acabamento à escala industrial onde podemos testar e produzir novos acabamentos funcionais
    para têxteis hospitalares.""",
    "business_partnership")],
  [("Tecnologias antibacterianas duradouras para têxteis hospitalares",
    """Procuramos tecnologias antibacterianas que resistam a muitas lavagens industriais, para licenciar
    ou desenvolver em conjunto.""",
    "technology")])

# ---------------------------------------------------------------------------------------------
# Textiles, fashion, creative industries
# ---------------------------------------------------------------------------------------------

P("ro_textile_cluster", "Clusterul Textil Nord-Est", "cluster", "RO", ["textiles", "circular-economy", "creative-industries"],
  ["ro", "en", "it"], "ro-cedilla",
  """Cluster din Bacău care reuneşte 60 de fabrici de confecţii, tricotaje şi textile tehnice, designeri
  şi o universitate tehnică. Membrii noştri produc în regim lohn şi full-package pentru branduri din
  Italia, Germania şi Franţa. Ne pregătim pentru noile reguli europene privind textilele sustenabile.
  Cuvinte cheie: confecţii, tricotaje, lohn, textile, economie circulară.""",
  [("Acces la 45 de fabrici de confecţii şi tricotaje",
    """Intermediem contacte cu fabricile membre pentru producţie în regim lohn sau full-package: tricotaje,
    cămăşi, îmbrăcăminte de lucru, textile tehnice.""",
    "business_partnership"),
   ("Deşeuri textile pre-consum de la fabricile membre",
    """Membrii noştri generează aproximativ 1.200 de tone pe an de resturi de croit din bumbac şi
    amestecuri, pe care le putem colecta centralizat.""",
    "supply_subcontracting")],
  [("Tehnologii de reciclare a deşeurilor textile",
    """Căutăm tehnologii şi parteneri pentru reciclarea resturilor textile în fibre noi (reciclare fibră
    la fibră), ca alternativă la depozitare sau ardere.""",
    "technology")])

P("fi_textile_recycling", "Kuitu Circular Oy", "company", "FI", ["textiles", "circular-economy", "biotech"],
  ["fi", "sv", "en"], "en",
  """Finnish scale-up that turns cotton-rich textile waste into a new regenerated cellulose fibre with a
  chemical process that avoids toxic solvents. A demonstration plant in Ostrobothnia is running and a
  commercial plant is planned for 2027. Keywords: textile recycling, fibre-to-fibre, regenerated
  cellulose, circular textiles.""",
  [("Fibre-to-fibre recycling of textile waste",
    """Our chemical recycling process turns cotton-rich post-industrial and post-consumer textiles into a
    regenerated fibre that spinners can use like viscose.""",
    "technology")],
  [("Pre-consumer textile waste from garment factories",
    """We need a long-term supply of sorted cutting scraps from garment and knitwear factories, at least
    500 tonnes a year, for our demonstration and future commercial plant.""",
    "supply_subcontracting")])

P("it_fashion", "Filo Nobile S.r.l.", "company", "IT", ["textiles", "creative-industries"], ["it", "en"], "it",
  """Marchio di moda milanese specializzato in maglieria di alta gamma in lana merino, cashmere e seta,
  venduto in 300 boutique in Europa e in Asia. Disegniamo le collezioni in Italia e cerchiamo partner
  produttivi affidabili vicino all'Italia. Parole chiave: moda, maglieria, filati pregiati, produzione
  responsabile, made in Europe.""",
  [("Ordini continuativi di maglieria",
    """Quattro collezioni all'anno con ordini stabili di maglioni, cardigan e abiti in maglia, da 300 a
    3.000 capi per modello.""",
    "business_partnership")],
  [("Maglifici in Romania per produzione conto terzi",
    """Cerchiamo maglifici e laboratori di confezione in Romania con macchine rettilinee elettroniche per
    produrre i nostri capi in maglia conto terzi.""",
    "supply_subcontracting")])

P("ro_knitwear", "Tricotex Botoșani SRL", "company", "RO", ["textiles"], ["ro", "en", "it"], "ro",
  """Fabrică de tricotaje din Botoșani cu 230 de angajați și 40 de mașini rectilinii electronice Stoll și
  Shima Seiki. Lucrăm de 25 de ani în regim lohn pentru branduri italiene și germane și vrem să trecem
  la producție full-package. Cuvinte cheie: tricotaje, lohn, pulovere, confecții, export.""",
  [("Producție de tricotaje în regim lohn",
    """Pulovere, cardigane și rochii tricotate din lână, cașmir și bumbac, în serii de la 200 de bucăți,
    cu control de calitate la fiecare etapă.""",
    "supply_subcontracting")],
  [("Branduri europene care caută producție în apropiere",
    """Căutăm clienți noi din UE — branduri de modă care vor să mute producția de tricotaje mai aproape de
    Europa de Vest, cu livrări rapide.""",
    "business_partnership")])

P("pt_knitwear", "Malhas do Minho Lda.", "company", "PT", ["textiles", "circular-economy"], ["pt", "en", "es", "fr"], "en",
  """Knitwear manufacturer from Barcelos, Portugal, with 180 employees, producing full-package sweaters
  and cardigans for European fashion brands. Half of our production already uses recycled or certified
  yarns, and we hold GRS and GOTS certifications. Keywords: knitwear, full package, recycled wool, GRS,
  nearshoring, sustainable fashion.""",
  [("Full-package knitwear with recycled yarns",
    """Sweaters, cardigans and knitted accessories in recycled wool, organic cotton and blends, GRS and GOTS
    certified, from 300 pieces per style.""",
    "supply_subcontracting")],
  [("European fashion brands looking for nearshore production",
    """We want new brand customers in Europe that want to bring knitwear production closer to their
    markets.""",
    "business_partnership")])

P("nl_fashion", "Wolkring Amsterdam B.V.", "company", "NL", ["textiles", "creative-industries", "circular-economy"],
  ["nl", "en"], "en",
  """Amsterdam fashion label for circular knitwear: every sweater is made from recycled or recyclable wool
  and can be returned for repair or recycling. Sold online and in 90 concept stores. Keywords:
  sustainable fashion, circular design, knitwear, recycled wool, traceability.""",
  [("Multi-year orders for circular knitwear",
    """Around 12,000 knitted pieces a year, with two-year framework contracts for the right manufacturing
    partner.""",
    "business_partnership")],
  [("Knitwear manufacturer working with recycled wool",
    """We need a European knitwear factory experienced with recycled wool yarns and GRS certification for
    full-package production.""",
    "supply_subcontracting")])

P("ro_creative_hub", "Someș Creative Industries Hub", "other", "RO", ["creative-industries", "ict", "tourism"],
  ["ro", "en", "hu"], "en",
  """Creative industries centre in a Cluj innovation park, with a virtual production stage, a 3D scanning
  and photogrammetry studio, motion capture and a sound lab. We support start-ups in games, film, design
  and cultural heritage. Keywords: creative industries, virtual production, 3D scanning, cultural
  heritage, immersive media.""",
  [("3D scanning, virtual production and motion capture studios",
    """Companies and cultural institutions can book our studios and team for 3D scanning of objects and
    buildings, photogrammetry, motion capture and LED-wall virtual production.""",
    "technology")],
  [("Partners for a Creative Europe project on digital cultural heritage",
    """We want to join or build a Creative Europe consortium that uses immersive technologies to make
    cultural heritage accessible to new audiences.""",
    "eu_project_partner")])

P("gr_xr", "Mnemosyne XR", "company", "GR", ["creative-industries", "tourism", "ict"], ["el", "en"], "en",
  """Athens studio creating augmented and virtual reality experiences for museums, archaeological sites
  and cultural routes. Our apps are used at 25 sites in Greece and Cyprus, and we have coordinated two
  Creative Europe cooperation projects. Keywords: XR, augmented reality, museums, cultural heritage,
  digital storytelling.""",
  [("Leading Creative Europe projects on immersive cultural heritage",
    """We coordinate Creative Europe cooperation projects and are forming a new consortium on immersive
    experiences for heritage sites — open to new partners.""",
    "eu_project_partner")],
  [("3D scanning and photogrammetry capacity in Central and Eastern Europe",
    """For heritage sites in the Balkans and Romania we need partners who can scan monuments and artefacts
    in 3D with high accuracy.""",
    "technology")])

P("es_game", "Estudio Píxel Ibérico S.L.", "company", "ES", ["creative-industries", "ict"], ["es", "en", "pt"], "en",
  """Valencian game studio with 30 developers making serious games and VR simulators for industrial
  training. Our simulators teach safety procedures, machine operation and maintenance to workers in
  ports, energy and manufacturing. Keywords: serious games, virtual reality, training simulators,
  gamification, occupational safety.""",
  [("VR training simulators for industrial operations",
    """Custom serious games and virtual reality simulators that train operators in safety procedures,
    equipment handling and maintenance, with performance analytics.""",
    "technology")],
  [("Industrial partners to co-develop training simulators",
    """We look for companies or clusters that want to co-develop a simulator for their specific equipment
    and share the development cost.""",
    "business_partnership")])

# ---------------------------------------------------------------------------------------------
# Tourism
# ---------------------------------------------------------------------------------------------

P("ro_spa_cluster", "Clusterul de Turism Balnear Transilvania", "cluster", "RO", ["tourism", "health"],
  ["ro", "en", "hu"], "ro",
  """Cluster din Covasna care reunește 30 de stațiuni balneare, pensiuni, agenții de turism și furnizori
  de tratamente cu ape minerale și mofete. Promovăm turismul de sănătate și turismul rural din zonă.
  Multe pensiuni membre depind încă de rezervări prin telefon. Cuvinte cheie: turism balnear, turism
  rural, pensiuni, sănătate, promovare.""",
  [("Pachete de turism balnear și de sănătate",
    """Pachete de 5-14 zile cu tratamente balneare, cazare în stațiuni și pensiuni și activități în natură,
    pentru agenții și touroperatori.""",
    "business_partnership")],
  [("Platformă digitală de rezervări pentru pensiuni",
    """Avem nevoie de o soluție de rezervări online și de marketing digital pentru pensiunile rurale
    membre, simplă și la un cost accesibil.""",
    "technology")])

P("at_booking", "Almwirt Digital GmbH", "company", "AT", ["tourism", "ict"], ["de", "en"], "de",
  """Innsbrucker Softwareunternehmen, das kleine Gastgeber digital macht: Pensionen, Bauernhöfe und
  Ferienwohnungen in den Alpen nutzen unsere Lösung für Buchung, Channel-Management und
  Gästekommunikation. Über 3.500 Betriebe in Österreich, Südtirol und Slowenien. Schlagwörter:
  Buchungssoftware, Tourismus, Digitalisierung, ländlicher Tourismus.""",
  [("Buchungs- und Channel-Management-Software für kleine Gastgeber",
    """Buchungsmaschine für die eigene Website, Anbindung an Buchungsportale, Website-Baukasten und
    Marketing-Werkzeuge für Pensionen und Ferienwohnungen – ab 29 Euro im Monat.""",
    "technology")],
  [("Vertriebspartner in Südosteuropa",
    """Wir suchen Tourismusverbände, Cluster oder Agenturen in Rumänien, Bulgarien und Kroatien, die
    unsere Lösung an ihre Mitgliedsbetriebe vermitteln.""",
    "distribution")])

P("bg_tourism", "Rhodope Ecotourism Cluster", "cluster", "BG", ["tourism", "agrifood"], ["bg", "en", "el"], "en",
  """Bulgarian cluster of 40 family hotels, guesthouses, mountain guides and local food producers in the
  Rhodope Mountains. We develop eco-tourism and slow-food routes and take part in cross-border
  cooperation with Greece and Romania. Keywords: ecotourism, rural tourism, guesthouses, slow food,
  cross-border cooperation.""",
  [("Eco-tourism routes and a network of family hotels",
    """Hiking, birdwatching and food-tasting routes in the Rhodopes, with 40 member guesthouses and
    certified mountain guides.""",
    "business_partnership")],
  [("Online booking and marketing tools for guesthouses",
    """Our members need an affordable online booking system and help with digital marketing to depend less
    on the big booking portals.""",
    "technology"),
   ("Experienced partner for an Interreg Romania-Bulgaria application",
    """We look for a consultant or partner with a track record in writing and managing Interreg
    cross-border projects.""",
    "eu_project_partner")])

P("md_wine", "Asociația Drumul Vinului Codru", "other", "MD", ["tourism", "agrifood"], ["ro", "ru", "en"], "ro",
  """Asociație care reunește 12 crame, pensiuni agroturistice și ghizi din zona Codru, la 40 de km de
  Chișinău. Dezvoltăm trasee de turism vitivinicol, degustări și evenimente la cramă pentru grupuri.
  Cuvinte cheie: enoturism, vinuri moldovenești, turism rural, degustări, evenimente.""",
  [("Trasee de enoturism și degustări în podgorii",
    """Programe de 1-4 zile cu vizite la crame, degustări, mese tradiționale și cazare la pensiuni
    agroturistice, pentru grupuri de 10-150 de persoane.""",
    "business_partnership")],
  [("Touroperatori din UE pentru grupuri incentive",
    """Căutăm agenții și touroperatori din UE care să includă Moldova în oferta lor de city-break și de
    călătorii incentive pentru companii.""",
    "distribution")])

P("pl_tour", "Szlaki Incentive Sp. z o.o.", "company", "PL", ["tourism"], ["pl", "en"], "pl",
  """Biuro podróży z Krakowa specjalizujące się w wyjazdach motywacyjnych i firmowych dla polskich
  przedsiębiorstw. Co roku organizujemy ponad 120 wyjazdów dla grup od 20 do 200 osób i szukamy nowych,
  mniej oczywistych kierunków. Słowa kluczowe: turystyka biznesowa, incentive, wyjazdy firmowe, MICE,
  nowe kierunki.""",
  [("Wyjazdy incentive dla polskich firm",
    """Przywozimy grupy firmowe z Polski: wyjazdy motywacyjne, konferencje i imprezy integracyjne, z
    własnym pilotem i pełną logistyką.""",
    "distribution")],
  [("Lokalni partnerzy w nowych kierunkach Europy Wschodniej",
    """Szukamy winnic, obiektów noclegowych, uzdrowisk i agencji w Rumunii i Mołdawii, które przygotują
    program dla naszych grup.""",
    "business_partnership")])

# ---------------------------------------------------------------------------------------------
# Logistics, maritime, river transport
# ---------------------------------------------------------------------------------------------

P("ro_maritime_cluster", "Pontic Maritime Cluster", "cluster", "RO", ["maritime", "logistics"], ["ro", "en", "tr"], "en",
  """Maritime cluster from Constanța with 44 members: shipyards, ship-repair SMEs, port operators, a
  maritime university and training centres. We work on the digital and green transition of the Black
  Sea port and shipping community. Keywords: maritime, ports, shipbuilding, digitalisation, green
  shipping.""",
  [("Access to shipyards and ship-repair companies in Constanța",
    """We connect partners with member shipyards, repair yards and maritime training centres for
    subcontracting and joint projects.""",
    "business_partnership")],
  [("Digital twin and port call optimisation for port operators",
    """Our port operator members want to test digital twin solutions that optimise berth planning and
    vessel arrivals.""",
    "technology")])

P("gr_port", "Strymonikos Port Authority S.A.", "public_authority", "GR", ["maritime", "logistics"],
  ["el", "en"], "en",
  """Port authority managing a multipurpose port in northern Greece: containers, bulk, ro-ro and
  passengers. We are modernising cranes, gates and the port community system and want to become a test
  bed for green and digital port solutions. Keywords: port, maritime logistics, digital port,
  cybersecurity, green port.""",
  [("Port test bed for digital and green solutions",
    """Technology providers can pilot solutions in our terminals: berth planning, automated gates, shore
    power, energy management.""",
    "other")],
  [("Cybersecurity of port operational technology",
    """Under NIS2 we must assess and secure the operational technology that runs our cranes, gates and
    terminal systems.""",
    "technology"),
   ("Immersive training for crane and straddle-carrier drivers",
    """We need a way to train new quay crane and straddle-carrier drivers, including emergency situations,
    without taking real equipment out of service.""",
    "other")])

P("nl_port_twin", "HarbourTwin B.V.", "company", "NL", ["maritime", "logistics", "ict"], ["nl", "en"], "en",
  """Rotterdam software company building digital twins of ports and terminals. Our platform predicts
  vessel arrival times, plans berths and synchronises port services so ships can sail at optimal speed
  and arrive just in time. Keywords: digital twin, port call optimisation, berth planning, just-in-time
  arrival, maritime software.""",
  [("Digital twin for port call optimisation",
    """Digital twin of port operations with berth planning, arrival-time prediction and just-in-time
    arrival coordination with shipping lines.""",
    "technology")],
  [("Pilot ports in the Black Sea and Eastern Mediterranean",
    """We look for ports and terminal operators willing to pilot our platform for six months.""",
    "business_partnership")])

P("ro_barge", "DunăreaTrans Fluvial SA", "company", "RO", ["logistics", "maritime"], ["ro", "en", "de"], "en",
  """River shipping company from Galați with a fleet of 60 barges and 8 pushers. We carry grain, ore,
  fertiliser and steel products on the Danube between ports in Hungary, Serbia and the Port of
  Constanța. Keywords: inland waterway transport, Danube, barges, bulk cargo, logistics.""",
  [("Bulk cargo transport on the Danube",
    """Grain, ore and other bulk cargo in 1,500-2,000 t barges from Danube ports to the terminals of the
    Port of Constanța.""",
    "business_partnership")],
  [("Digital fleet monitoring",
    """We look for GPS tracking and digital fleet management for our barges: position, fuel consumption and
    estimated time of arrival.""",
    "technology")])

P("hu_grain", "Csongrád Gabona Zrt.", "company", "HU", ["agrifood", "logistics"], ["hu", "en", "de"], "en",
  """Grain trading and storage company from south-east Hungary, handling 600,000 tonnes of wheat, maize
  and sunflower a year from 2,000 farmers. We export to the Mediterranean and North Africa and look for
  cheaper and greener routes to sea ports. Keywords: grain trade, storage, export logistics, Black Sea
  ports.""",
  [("Long-term grain freight volumes",
    """Up to 200,000 tonnes a year of wheat and maize for export, available for multi-year logistics
    contracts.""",
    "business_partnership")],
  [("Cheaper shipment of grain to a Black Sea export terminal",
    """We want to move more of our exports by inland waterway to a Black Sea port instead of by truck and
    rail through Hungary and Slovenia.""",
    "supply_subcontracting")])

P("bg_telematics", "TrackLine Ltd.", "company", "BG", ["ict", "logistics"], ["bg", "en", "ro"], "en",
  """Sofia-based telematics company serving 2,800 transport companies in the Balkans. Our SaaS tracks
  trucks, trailers, barges and rail wagons, monitors fuel and driving behaviour and predicts arrival
  times. Keywords: telematics, fleet management, GPS tracking, ETA prediction, transport software.""",
  [("Fleet management and telematics SaaS",
    """GPS tracking, fuel monitoring, driver scoring and ETA prediction for trucks, barges and rail wagons,
    with an open API.""",
    "technology")],
  [("Pilot fleets and channel partners in Romania",
    """We are entering Romania and look for transport companies or logistics associations that can pilot
    our platform and recommend it to their members.""",
    "distribution")])

P("ro_logistics_cluster", "Oltenia Urban Logistics Cluster", "cluster", "RO", ["logistics", "smart-cities"],
  ["ro", "en"], "en",
  """Cluster from Craiova with 60 transport and logistics companies, the local university and the
  municipality, working on cleaner and smarter freight transport in cities and regions. Keywords:
  logistics, urban freight, last mile, transport companies, sustainable mobility.""",
  [("Access to 60 transport and logistics companies",
    """We organise demonstrations and pilots of new logistics technologies with our member transport
    companies and recommend proven solutions to them.""",
    "business_partnership")],
  [("Zero-emission urban deliveries",
    """We want solutions for emission-free last-mile delivery in city centres: electric vans, cargo bikes,
    consolidation centres.""",
    "technology")])

P("si_cargo", "Kolo Logistics d.o.o.", "company", "SI", ["logistics", "smart-cities"], ["sl", "en", "hr"], "en",
  """Ljubljana company operating electric cargo-bike delivery and micro-hubs for parcel carriers and local
  shops in Slovenian and Croatian cities. We take delivery vans out of historic centres. Keywords: cargo
  bikes, micro-hubs, last-mile delivery, urban logistics, zero emission.""",
  [("Electric cargo-bike fleets and micro-hub operations",
    """We set up and run micro-hubs and cargo-bike fleets that take over parcel deliveries in dense city
    centres.""",
    "technology")],
  [("Cities ready to pilot micro-hubs",
    """We look for municipalities that can provide space and permits for a 12-month micro-hub pilot in
    their historic centre.""",
    "business_partnership")])

# ---------------------------------------------------------------------------------------------
# Cluster policy, regions, investors, consultancy
# ---------------------------------------------------------------------------------------------

P("ro_cluster_assoc", "Romanian Cluster Network Association", "other", "RO",
  ["digital-innovation-hubs", "advanced-manufacturing", "agrifood"], ["ro", "en", "fr", "de"], "en",
  """National association of Romanian clusters, founded in 2011, with 48 member clusters in all eight
  development regions. We represent clusters in the dialogue with ministries, train cluster managers,
  promote members on the European Cluster Collaboration Platform and help new cluster initiatives.
  Keywords: cluster policy, cluster management excellence, ESCA labels, internationalisation,
  networking.""",
  [("Support for new clusters and ESCA labelling",
    """Advice on setting up cluster governance, services and strategy, and preparation for the ESCA Bronze
    and Silver Label benchmarking.""",
    "other")],
  [("Cooperation with national cluster associations in the EU",
    """We want to exchange good practices and organise joint activities with national cluster associations
    and networks from other EU countries.""",
    "other")])

P("md_cluster", "Clusterul Agroinovativ Prut", "cluster", "MD", ["agrifood", "tourism"], ["ro", "ru", "en"], "ro",
  """Cluster înființat în 2024 în sudul Republicii Moldova, cu 22 de membri: producători de legume și
  fructe, procesatori, o școală profesională și primăria din Cahul. Vrem să construim servicii utile
  pentru membri și să ne conectăm la rețelele europene de clustere. Cuvinte cheie: cluster
  agroalimentar, Republica Moldova, cooperare transfrontalieră, dezvoltare rurală.""",
  [("Acces la producători agricoli din sudul Moldovei",
    """Facilităm contacte cu producători și procesatori din sudul Republicii Moldova pentru proiecte
    transfrontaliere și comerciale.""",
    "business_partnership")],
  [("Sprijin pentru managementul clusterului și eticheta ESCA",
    """Avem nevoie de instruire și consultanță pentru organizarea managementului de cluster, a serviciilor
    pentru membri și pentru pregătirea etichetei de bronz ESCA.""",
    "other")])

P("at_innovation_agency", "Innovationsagentur Traunviertel", "other", "AT",
  ["advanced-manufacturing", "agrifood", "wood-furniture"], ["de", "en"], "en",
  """Regional business and innovation agency in Upper Austria that has managed cluster programmes for more
  than 25 years. We run clusters in mechatronics, plastics, food and wood, and share our experience with
  regions that design or renew their cluster policies. Keywords: cluster policy, cluster management,
  regional innovation, peer learning, smart specialisation.""",
  [("Peer learning on cluster policy and cluster management",
    """Study visits, coaching and training for regional authorities and cluster managers on designing
    cluster programmes, funding models and performance monitoring.""",
    "other")],
  [("Eastern Partnership and Western Balkan regions for a capacity-building project",
    """We are preparing an EU-funded project on cluster policy and look for regional authorities in
    Ukraine, Moldova and the Western Balkans.""",
    "eu_project_partner")])

P("ua_region", "Prykarpattia Regional Development Office", "public_authority", "UA",
  ["advanced-manufacturing", "wood-furniture", "energy"], ["uk", "en", "pl"], "en",
  """Regional development office in western Ukraine responsible for economic recovery, investment
  attraction and innovation. More than 150 companies have relocated to our region since 2022, and we are
  preparing our first smart specialisation strategy and cluster programme. Keywords: regional
  development, Ukraine recovery, cluster policy, industrial parks, investment.""",
  [("Industrial parks and relocated companies seeking EU partners",
    """Seven industrial parks with tax incentives and more than 150 relocated manufacturers looking for
    European customers and joint ventures.""",
    "business_partnership")],
  [("Expertise for our cluster policy and smart specialisation strategy",
    """We need experienced partners to help us design a regional cluster programme and our first smart
    specialisation strategy.""",
    "rd_cooperation")])

P("ro_angels", "Carpathian Angels Club", "investor", "RO", ["ict", "health", "agrifood"], ["ro", "en"], "ro+en",
  """Rețea de 45 de business angels din Cluj, Oradea și Timișoara — antreprenori și manageri care
  investesc în startup-uri tech aflate la început de drum. Since 2019 we have closed 31 deals and we
  mentor every founder we back. Cuvinte cheie: business angels, pre-seed, seed, mentorat,
  startup-uri.""",
  [("Investiții pre-seed și seed în startup-uri tech",
    """Tichete între 50.000 și 300.000 EUR, investite în sindicat de membrii rețelei, plus mentorat de la
    antreprenori cu experiență.""",
    "investment")],
  [("VC funds for co-investment in follow-on rounds",
    """We look for venture capital funds that can co-invest with us and lead the next rounds of our
    portfolio companies.""",
    "investment")])

P("ro_consult", "EuroProiect Consult SRL", "company", "RO",
  ["digital-innovation-hubs", "smart-cities", "circular-economy"], ["ro", "en"], "ro",
  """Firmă de consultanță din București specializată în proiecte europene. Sprijinim companii, clustere,
  universități și autorități publice să transforme idei inovatoare în proiecte finanțate, cu accent pe
  digitalizare, sustenabilitate, economie circulară și parteneriate internaționale. Cuvinte cheie:
  fonduri europene, Horizon Europe, Interreg, scriere de proiecte, management de proiect.""",
  [("Scrierea și managementul proiectelor europene",
    """Pregătim cereri de finanțare pentru Horizon Europe, Interreg, LIFE și Erasmus+ și asigurăm
    managementul proiectelor aprobate, cu o rată de succes de 34%.""",
    "other")],
  [("Consorții europene care caută parteneri din România",
    """Căutăm coordonatori de proiecte europene care au nevoie de un partener sau subcontractor român pentru
    comunicare, diseminare și management.""",
    "eu_project_partner")])


# ---------------------------------------------------------------------------------------------
# Relevance judgements. Symmetric; (a, b, grade, difficulty, note).
#   grade 2: a request of one side is answered by an offer of the other (often both ways).
#   grade 1: plausible partner — same value chain or a partial / indirect fit.
#   difficulty (grade 2): easy = same language and shared key terms; medium = paraphrase, acronym
#   or one side partly in another language; hard = different vocabulary and/or different languages.
# ---------------------------------------------------------------------------------------------

G2 = [
    # manufacturing / Industry 4.0 / robotics
    ("ro_cnc", "de_mes", "hard", "RO request 'digitalizarea proceselor de producție' (machine data, traceability) <-> EN 'MES integration for factories'; back: EN request for CNC-machined aluminium housings <-> RO 'prelucrări CNC'"),
    ("de_mes_cto", "ro_uni_cs", "hard", "EN 'AI-based production scheduling' research partner <-> RO offer 'programare cu constrângeri, planificarea producției'"),
    ("pl_press", "fi_cm", "easy", "'predictive maintenance for hydraulic presses' <-> 'predictive maintenance based on condition monitoring'; back: pilot factories <-> press shop test bed"),
    ("pl_press", "pl_uni_diag", "medium", "predictive maintenance <-> 'machine diagnostics: vibration and oil analysis of hydraulic drives'; back: industrial demonstration sites <-> press shop test bed"),
    ("pl_press", "ro_uni_robotics", "hard", "RO request for real production lines to test cobots/vision <-> EN 'press shop available as an industrial test bed'"),
    ("ro_edih", "si_edih", "easy", "two EDIHs both asking for cross-border EDIH cooperation: a mutual networking need that each one fulfils for the other"),
    ("it_robot", "ro_diecast", "hard", "RO 'automatizarea debavurării cu roboți' <-> IT 'celle robotizzate per la sbavatura dei getti'"),
    ("it_robot", "ro_automation", "hard", "IT 'partner per l'assistenza tecnica in Romania' <-> RO (cedilla) 'service şi mentenanţă pentru linii automatizate'; back: RO request for EU robot integrators <-> IT offer"),
    ("ro_diecast", "de_tier1", "hard", "DE 'Lieferanten für Aluminium-Druckguss' <-> RO 'piese turnate sub presiune din aluminiu', IATF"),
    ("cz_foundry", "de_tier1", "medium", "DE 'Aluminium-Druckguss in Mittel- und Osteuropa' <-> EN 'aluminium high-pressure die castings' from CZ"),
    ("cz_foundry", "it_robot", "medium", "EN 'robotic deburring and fettling automation' <-> IT robotic deburring cells"),
    # furniture / wood / design
    ("ro_furn_cluster", "se_interior", "easy", "request to join an S3 partnership on furniture and design <-> offer of an open S3 partnership on design and furniture"),
    ("ro_furn_cluster_io", "es_wood_lca", "medium", "'eco-design and circular furniture' know-how <-> 'eco-design and LCA for furniture makers'; back: manufacturers to pilot tools <-> matchmaking with 60 manufacturers"),
    ("se_interior", "ro_chairs", "hard", "EN 'small-series production of upholstered chairs and sofas' <-> RO 'producție de scaune și canapele tapițate pentru alte mărci'"),
    ("ua_furniture", "nl_retail", "easy", "solid oak/ash OEM furniture <-> private-label solid hardwood tables and cabinets; back: EU distribution <-> Benelux/German online retail"),
    ("ro_chairs", "it_coatings", "hard", "RO 'lacuri și finisaje pe bază de apă, COV' <-> IT 'vernici all'acqua, bassa emissione di VOC'"),
    ("ro_chairs", "es_wood_lab", "hard", "RO 'testarea scaunelor conform standardelor EN' <-> ES 'ensayos de mobiliario según normas EN'"),
    ("it_coatings", "ro_building_dist", "hard", "IT 'distributori in Romania' <-> RO distribution through 120 stores; back: RO request for water-based eco paints <-> IT offer"),
    ("es_wood_lab", "ro_trace_sw", "medium", "ES 'pasaporte digital de producto (DPP)' project partners <-> EN 'digital product passport platform'"),
    ("ro_furn_buc", "it_design", "medium", "EN 'design schools for collaboration with manufacturers' <-> student projects and internships; back: IT 'aziende e cluster dell'arredo in Europa orientale'"),
    # agrifood
    ("ro_agro_cluster", "it_uni_gi", "medium", "RO project partners on 'indicații geografice (IGP, DOP)' <-> IT training and research on 'Indicazioni Geografiche'; back: case studies <-> access to producers"),
    ("gr_uni_food", "md_honey", "medium", "MD (RO) 'analize pentru autenticitatea mierii' <-> EN 'food authenticity and origin testing'; back: producer samples <-> honey producer"),
    ("md_honey", "de_organic", "hard", "DE 'Lieferanten für Bio-Honig (Akazienhonig)' <-> RO 'miere ecologică de salcâm'"),
    ("de_organic", "ro_walnut", "hard", "DE 'Walnusskerne, getrocknete Waldbeeren' <-> EN 'organic walnut kernels and dried forest berries'"),
    ("ro_walnut", "hu_sorting", "easy", "'optical sorting technology for walnut kernels' <-> 'optical sorting machines for nuts'"),
    ("hu_sorting", "ro_agri_distributor", "medium", "'sales agents in Romania selling equipment to farmers and food processors' <-> 'national distribution network for farmers and food processors'"),
    ("fr_agritech", "ro_farm_coop", "hard", "RO 'sisteme inteligente de irigații' <-> FR 'sondes d'humidité du sol connectées'; back: FR 'exploitations pilotes' <-> RO 'ferme pilot'"),
    ("fr_agritech", "ro_agri_distributor", "hard", "EN 'precision farming technology to represent (field sensors)' <-> FR connected soil-moisture probes"),
    ("es_irrigation", "ro_agri_distributor", "hard", "ES 'distribuidores de insumos agrícolas en Rumanía' <-> EN farm-input distribution network"),
    ("pt_packaging", "ro_sunflower", "hard", "PT 'resíduos lignocelulósicos (cascas)' <-> RO (cedilla) 'coji de floarea-soarelui'; back: 'valorificarea subproduselor' <-> compostable packaging from agri residues"),
    ("at_food_fund", "ro_plant_based", "easy", "'growth capital for a new production line (Series A)' <-> 'growth capital for sustainable food companies'"),
    ("gr_olive", "ro_food_retail", "easy", "PDO olive oil producer seeking Romanian importer <-> premium food importer seeking direct PDO olive oil"),
    # energy / climate
    ("ro_muni_energy", "at_energy_agency", "medium", "RO 'comunități de energie cu participarea cetățenilor' <-> EN 'setting up renewable energy communities'; back: partner municipality <-> pilot district"),
    ("ro_muni_smart", "es_air", "hard", "EN 'street-level air quality monitoring network' <-> ES 'redes de sensores de calidad del aire'; back: ES 'ayuntamientos piloto' <-> living lab"),
    ("de_battery", "nl_vc", "easy", "'investors for our battery start-up (Series A)' <-> 'seed and Series A in energy storage'"),
    ("pl_battery", "nl_vc", "easy", "'investors for our battery startup (seed)' <-> 'seed and Series A in energy storage, batteries'"),
    ("de_battery", "ro_pv", "hard", "RO 'furnizori de sisteme de stocare cu baterii' <-> EN 'second-life battery storage systems'"),
    ("de_battery", "ro_dismantler", "hard", "EN 'used EV battery packs' <-> RO 'acumulatori de tracțiune din vehicule dezmembrate'; back: RO 'reutilizare în sisteme de stocare' <-> second-life storage"),
    ("at_energy_agency", "ro_rda", "easy", "'partner regions for an Interreg Danube project' <-> 'regional partner for Interreg Danube projects'"),
    ("ro_rda", "at_innovation_agency", "medium", "RO 'bune practici în politica de clustere și S3' <-> EN 'peer learning on cluster policy'"),
    ("ro_rda_startups", "ro_angels", "easy", "'business angels and mentors for our programme' <-> business angel network offering investment plus mentoring"),
    ("nl_vc_debt", "ro_angels", "easy", "'local co-investors in Romania' <-> angels; back: 'VC funds for co-investment' <-> 'venture debt and co-investment'"),
    ("hr_hydrogen", "ro_ceramics", "medium", "'industrial users with high-temperature heat demand (ceramics)' <-> 'decarbonising our kilns (above 1,100 °C)'; back: demo site"),
    ("ro_energy_cluster", "pt_drone", "easy", "'drone inspection of solar parks' <-> 'drone-based thermographic inspection of solar parks'"),
    # smart cities / construction
    ("pt_drone", "ro_geo_survey", "hard", "EN 'local drone operators with licensed pilots in Romania' <-> RO 'zboruri cu drone, 6 piloți autorizați'"),
    ("ro_geo_survey", "cz_scan2bim", "medium", "RO 'software scan-to-BIM (nori de puncte)' <-> EN 'automatic point cloud to BIM conversion'; back: surveying resellers"),
    ("ro_smart_cluster", "fr_metropole", "hard", "EN 'mission cities, climate city contracts' <-> FR 'Contrat de Ville Climat, mission 100 villes neutres pour le climat'"),
    ("ro_smart_cluster", "es_air", "hard", "ES 'ayuntamientos piloto en Europa central y oriental' <-> EN 'pilot projects in our member municipalities (air quality)'"),
    ("fr_metropole", "nl_retrofit", "hard", "FR 'rénovation énergétique rapide des logements sociaux' <-> EN 'prefabricated net-zero retrofit of social housing'"),
    ("nl_retrofit", "ro_timber_frame", "hard", "EN 'timber-frame facade elements' <-> RO 'panouri prefabricate cu structură din lemn'; back: RO 'licență pentru renovarea rapidă a blocurilor' <-> prefab retrofit"),
    ("ro_green_build", "be_rebeton", "medium", "'building materials made from demolition waste' <-> 'recycled aggregates and low-carbon concrete'"),
    ("fi_symbiosis", "ro_ind_park", "hard", "'exchanging waste, heat and water between resident companies' <-> 'industrial symbiosis model and toolbox'; back: industrial parks to replicate"),
    ("fi_symbiosis", "ro_rda", "easy", "'regions to replicate our model in Interreg Europe' <-> 'regional partner for Interreg Europe projects'"),
    # ICT
    ("ro_itc", "be_ict_cluster", "easy", "both: cluster partners for a joint Euroclusters internationalisation project; BE also offers missions and delegations (FR)"),
    ("ro_itc_projects", "md_it", "easy", "'AI and cybersecurity upskilling for members' <-> 'AI and cybersecurity training for company staff'"),
    ("ro_embedded", "fr_aero", "medium", "EN 'safety-critical embedded software testing, DO-178C' <-> FR 'vérification et validation de logiciels avioniques'; back: aerospace supply chain entry <-> FR supplier qualification"),
    ("ro_cyber", "md_it", "medium", "RO 'parteneri în Republica Moldova' <-> RO/EN 'acces la piața din Republica Moldova' (B2B with banks)"),
    ("cz_cyber", "md_it", "medium", "'resellers in Moldova' <-> access to the Moldovan market via B2B meetings"),
    ("ro_cyber", "gr_port", "medium", "EN 'cybersecurity of port operational technology (NIS2)' <-> RO 'audit NIS2, securizarea rețelelor OT/SCADA pentru porturi'"),
    ("ua_it", "hu_medtech", "easy", "'mobile app and cloud backend developers (healthcare)' <-> 'dedicated development teams for healthtech'"),
    ("ro_voice_ai", "ro_angels", "easy", "'pre-seed / seed investment' <-> 'investiții pre-seed și seed în startup-uri tech'"),
    ("ro_uni_tto", "ro_angels", "medium", "'investors for university spin-offs' <-> angel network for early-stage tech"),
    ("ro_it_banat", "lt_bootcamp", "easy", "'IT reskilling bootcamps for career changers' <-> 'reskilling bootcamps for career changers'; back: employer partners in Romania"),
    # automotive / batteries / aerospace
    ("ro_auto_cluster", "es_auto_cluster", "medium", "'reskilling programmes for the move to electric vehicles' <-> 'training academy for vehicle electrification'"),
    ("cz_recycling", "ro_dismantler", "hard", "EN 'end-of-life EV batteries for pilot testing' <-> RO 'acumulatori de tracțiune din vehicule dezmembrate'; back: RO 'reciclarea bateriilor litiu-ion' <-> hydrometallurgical recovery"),
    ("ro_aero_cluster", "de_composites", "easy", "'training in thermoplastic composites' <-> 'training and technology transfer in thermoplastic composites'; back: machining/NDT suppliers <-> NADCAP members"),
    # health / biotech
    ("ro_umf", "hu_medtech", "medium", "'clinical partner for validation study (MDR)' <-> 'clinical investigations for medical devices (ISO 14155)'; back: remote monitoring research <-> ECG patch platform"),
    ("hu_medtech", "it_lifesci_fund", "easy", "'Series A investment' (medtech) <-> 'Series A and B investment in medtech'"),
    ("ro_health_cluster", "se_telehealth", "hard", "RO (cedilla) 'platforme de telemedicină, teleconsultaţie' <-> EN 'virtual care platform for remote areas'; back: clinic network pilots"),
    ("ro_algae", "nl_biopilot", "easy", "'scale-up partner for cultivation and downstream' <-> 'process scale-up and toll manufacturing'"),
    ("it_probiotic", "ro_pharma_dist", "medium", "EN 'distributors of food supplements with pharmacy access' <-> RO 'distribuție către 2.000 de farmacii'; back: RO request for probiotics producers"),
    ("ro_materials", "pt_medtextiles", "hard", "PT 'tecnologias antibacterianas para têxteis hospitalares' <-> RO 'licență pentru acoperiri antibacteriene cu nanoparticule'; back: industrialisation"),
    ("ro_materials", "pl_battery", "medium", "EN 'advanced materials characterisation (XRD, electron microscopy)' <-> RO 'caracterizare avansată (XRD, SEM, TEM)'"),
    ("nl_biopilot", "pt_packaging", "hard", "EN 'SMEs with bio-based products from agri-food side streams' <-> PT 'embalagens compostáveis de resíduos agrícolas'"),
    # textiles / creative
    ("ro_textile_cluster", "fi_textile_recycling", "hard", "RO (cedilla) 'reciclare fibră la fibră' <-> EN 'fibre-to-fibre recycling'; back: EN 'pre-consumer cutting scraps' <-> RO 'deşeuri textile pre-consum'"),
    ("ro_textile_cluster", "it_fashion", "hard", "IT 'maglifici in Romania per produzione conto terzi' <-> RO 'acces la fabrici de tricotaje (lohn)'"),
    ("it_fashion", "ro_knitwear", "hard", "IT 'maglifici ... conto terzi' <-> RO 'producție de tricotaje în regim lohn'; back: RO new EU brands <-> IT orders"),
    ("pt_knitwear", "nl_fashion", "easy", "'knitwear manufacturer working with recycled wool (GRS)' <-> 'full-package knitwear with recycled yarns, GRS'"),
    ("ro_creative_hub", "gr_xr", "easy", "'3D scanning and photogrammetry capacity' <-> '3D scanning studios'; back: Creative Europe heritage consortium"),
    ("es_game", "gr_port", "medium", "'immersive training for crane drivers' <-> 'VR training simulators for industrial operations'"),
    # tourism
    ("ro_spa_cluster", "at_booking", "hard", "RO 'platformă digitală de rezervări pentru pensiuni' <-> DE 'Buchungs- und Channel-Management-Software für kleine Gastgeber'"),
    ("at_booking", "bg_tourism", "medium", "EN 'online booking and marketing tools for guesthouses' <-> DE booking software; back: DE 'Vertriebspartner (Cluster) in Bulgarien'"),
    ("md_wine", "pl_tour", "hard", "RO 'touroperatori din UE pentru grupuri incentive' <-> PL 'wyjazdy incentive dla polskich firm'; back: PL 'winnice ... w Mołdawii'"),
    ("ro_spa_cluster", "pl_tour", "hard", "PL 'uzdrowisk i agencji w Rumunii' (local partners) <-> RO 'pachete de turism balnear pentru touroperatori'"),
    # logistics / maritime
    ("ro_maritime_cluster", "nl_port_twin", "easy", "'digital twin and port call optimisation' <-> 'digital twin for port call optimisation'"),
    ("gr_port", "nl_port_twin", "easy", "'pilot ports' <-> 'port test bed (berth planning)'"),
    ("ro_barge", "hu_grain", "medium", "'cheaper shipment of grain by inland waterway to a Black Sea port' <-> 'bulk cargo transport on the Danube to Constanța'"),
    ("ro_barge", "bg_telematics", "easy", "'digital fleet monitoring (GPS, fuel, ETA) for barges' <-> 'fleet management and telematics SaaS ... barges'"),
    ("bg_telematics", "ro_logistics_cluster", "medium", "'pilot fleets and channel partners in Romania' <-> 'access to 60 transport companies, pilots and recommendations'"),
    ("ro_logistics_cluster", "si_cargo", "medium", "'zero-emission urban deliveries' <-> 'electric cargo-bike fleets and micro-hubs'"),
    ("si_cargo", "ro_muni_smart", "medium", "'cities ready to pilot micro-hubs (space, permits)' <-> 'urban living lab, permits arranged'"),
    ("si_cargo", "ro_smart_cluster", "medium", "'cities ready to pilot micro-hubs' <-> 'pilot projects in our eight member municipalities'"),
    # policy / clusters
    ("ro_cluster_assoc", "md_cluster", "medium", "RO 'sprijin pentru managementul clusterului și eticheta ESCA' <-> EN 'support for new clusters and ESCA labelling'"),
    ("at_innovation_agency", "ua_region", "easy", "'expertise for our cluster policy' <-> 'peer learning on cluster policy'; back: Ukrainian regions for capacity building"),
    ("ro_consult", "bg_tourism", "medium", "EN 'experienced partner to prepare an Interreg application' <-> RO 'scrierea și managementul proiectelor europene (Interreg)'"),
]

G1 = [
    ("ro_cnc", "de_mes_cto", "retrofit sensors cover machine data collection but not planning/traceability"),
    ("ro_cnc", "ro_edih", "digital maturity assessment is a first step towards the requested digitalisation"),
    ("de_mes", "pl_press", "sheet-metal enclosures could replace the requested machined housings"),
    ("de_mes_cto", "pl_press", "retrofit kits are a prerequisite for press predictive maintenance"),
    ("si_edih", "ro_diecast", "robotics test-before-invest could de-risk the deburring automation"),
    ("ro_uni_robotics", "ro_diecast", "applied cobot/vision research relevant to deburring automation"),
    ("ro_uni_robotics", "cz_foundry", "applied cobot/vision research relevant to fettling automation"),
    ("ro_auto_cluster", "ro_diecast", "same regional automotive supply chain"),
    ("ro_auto_cluster", "de_tier1", "cluster offers supplier days incl. die casting: broader than the specific request"),
    ("ro_cnc", "de_composites", "precision machining, but not aerospace-qualified"),
    ("ro_furn_cluster_io", "se_interior", "matchmaking with manufacturers is an indirect answer to the upholstery request"),
    ("ua_furniture", "se_interior", "CEE furniture maker, but solid wood, not upholstery"),
    ("ro_chairs", "nl_retail", "furniture manufacturer, but chairs/upholstery rather than hardwood tables and cabinets"),
    ("ro_furn_cluster_io", "nl_retail", "matchmaking with manufacturers: indirect route to hardwood suppliers"),
    ("it_coatings", "ro_furn_buc", "coatings supplier and furniture cluster: same value chain"),
    ("es_wood_lab", "ro_furn_cluster", "furniture testing lab and furniture cluster"),
    ("ro_trace_sw", "ro_textile_cluster", "DPP pilots wanted in textiles; cluster members will need DPPs"),
    ("ro_trace_sw", "ro_furn_cluster_io", "DPP pilots wanted in furniture; officer prepares members for product information rules"),
    ("it_design", "ro_furn_cluster_io", "design school wants furniture companies; cluster offers matchmaking with manufacturers"),
    ("nl_fashion", "ro_trace_sw", "circular label values traceability; no explicit DPP request"),
    ("ro_agro_cluster", "gr_uni_food", "producers (incl. honey) could join the authenticity database; not Balkan/Black Sea strictly"),
    ("ro_agro_cluster", "md_cluster", "agri-food clusters; MD offers cross-border producer contacts"),
    ("it_uni_gi", "gr_olive", "GI research and PDO producers"),
    ("ro_farm_coop", "es_irrigation", "drip irrigation saves water but is not the sensor-based 'smart' system requested"),
    ("ro_sunflower", "fi_symbiosis", "symbiosis methodology, while the mill wants concrete valorisation partners"),
    ("ro_sunflower", "ro_plant_based", "same sunflower value chain (protein ingredients)"),
    ("ro_sunflower", "nl_biopilot", "side-stream valorisation consortium could include the husks"),
    ("ro_agro_cluster", "ro_food_retail", "traditional products and a premium food retailer"),
    ("ro_consult", "ro_agro_cluster", "proposal writing for the requested Interreg/Erasmus+ project"),
    ("ro_muni_energy", "ro_pv", "public roofs for demonstration projects and a PV installer"),
    ("ro_muni_energy", "es_air", "same city, but the energy directorate, not the smart city office, would host sensor pilots"),
    ("ro_muni_energy", "si_cargo", "pilot district includes e-mobility demonstrations; micro-hubs are handled by the smart city office"),
    ("at_energy_agency", "ro_energy_cluster", "energy communities and a renewable energy cluster (Interreg partner)"),
    ("pl_battery", "ro_pv", "cells, not complete storage systems"),
    ("de_battery", "cz_recycling", "second-life batteries eventually feed recycling"),
    ("nl_vc_debt", "de_battery", "venture debt is not the seed/Series A equity requested"),
    ("nl_vc_debt", "pl_battery", "venture debt is not the seed equity requested"),
    ("hr_hydrogen", "ro_energy_cluster", "green hydrogen partner for a renewable energy cluster"),
    ("nl_vc", "ro_angels", "angels seek VC co-investors, but the fund is sector-specific (climate)"),
    ("pt_drone", "ro_pv", "PV installer with 10-year maintenance could use inspections"),
    ("ua_region", "ro_rda", "peer regions on S3 and cluster policy"),
    ("fr_metropole", "ro_green_build", "construction cluster could pilot rapid renovation solutions"),
    ("nl_retrofit", "ro_green_build", "construction cluster offers pilot sites"),
    ("ro_timber_frame", "ro_green_build", "prefab timber producer and green building cluster"),
    ("be_ict_cluster", "ro_it_banat", "CEE ICT cluster, but it does not offer a project partnership"),
    ("ro_itc", "fr_aero", "access to embedded software companies: indirect answer to the V&V subcontracting need"),
    ("ro_itc_projects", "fr_aero", "foreign company needing Romanian software partners"),
    ("ro_embedded", "ro_aero_cluster", "embedded company entering aerospace and the aerospace cluster"),
    ("fr_aero", "ro_aero_cluster", "supplier qualification programme for aerospace SMEs"),
    ("cz_cyber", "gr_port", "NIS2 assessments, but no OT/port specialisation"),
    ("ro_voice_ai", "ro_rda_startups", "investor-readiness programme for a start-up seeking seed money"),
    ("ro_itc", "lt_bootcamp", "IT cluster in Romania could be the employer partner"),
    ("md_it", "lt_bootcamp", "reskilling bootcamps only partly match AI/cybersecurity upskilling"),
    ("ro_health_cluster", "ua_it", "development teams with telemedicine experience"),
    ("ro_auto_cluster", "es_game", "VR simulators could support EV reskilling"),
    ("ro_umf", "se_telehealth", "medical university and a telehealth platform looking for clinical pilots"),
    ("hu_medtech", "ro_health_cluster", "clinic network for testing, but not a formal clinical investigation"),
    ("ro_umf", "ro_health_cluster", "clinic network could host remote-monitoring research"),
    ("ro_materials", "ro_textile_cluster", "antibacterial textile coatings for cluster members"),
    ("pt_medtextiles", "ro_textile_cluster", "same technical textiles value chain"),
    ("fi_textile_recycling", "ro_knitwear", "knitwear factory produces cutting scraps"),
    ("fi_textile_recycling", "pt_knitwear", "recycled fibre for a recycled-yarn knitwear maker"),
    ("it_fashion", "pt_knitwear", "knitwear maker, but the brand wants production in Romania"),
    ("ro_knitwear", "nl_fashion", "knitwear maker, but no recycled wool / GRS experience"),
    ("bg_tourism", "pl_tour", "new destination for a tour operator (Bulgaria rather than Romania/Moldova)"),
    ("ro_maritime_cluster", "gr_port", "Black Sea / Aegean port community cooperation"),
    ("ro_cluster_assoc", "at_innovation_agency", "regional agency, not a national cluster association"),
    ("ro_cluster_assoc", "ua_region", "support for new clusters fits a region starting a cluster programme"),
    ("md_cluster", "at_innovation_agency", "MD region target of the capacity-building project; cluster management coaching"),
    # added after a request-by-request review of all offers
    ("de_mes", "ro_aero_cluster", "members machine aluminium parts, though for aerostructures rather than enclosures"),
    ("si_edih", "cz_foundry", "robotics test-before-invest could de-risk the fettling automation"),
    ("es_wood_lca", "ro_chairs", "a chair maker that wants to become more sustainable could pilot the eco-design tool"),
    ("it_uni_gi", "md_cluster", "Eastern European agri-food cluster with producers; no GI ambition stated"),
    ("gr_uni_food", "gr_olive", "PDO olive oil producers could contribute reference samples (Greece, not Black Sea)"),
    ("md_honey", "ro_materials", "NMR spectroscopy service could support honey authenticity, but it is not a food lab"),
    ("at_food_fund", "ro_algae", "food-ingredient biotech planning a tenfold scale-up, no funding request stated"),
    ("ro_energy_cluster", "ro_geo_survey", "drone operator, but photogrammetry rather than thermal inspection"),
    ("ro_smart_cluster", "ro_muni_energy", "city aiming at climate neutrality by 2030, not yet a mission city with a climate city contract"),
    ("hu_medtech", "ro_itc", "nearshore software companies, though healthcare experience is not stated"),
    ("ro_edih", "md_it", "EDIH offers AI and cybersecurity training, but for SMEs in its own region"),
    ("ro_pharma_dist", "ro_algae", "spirulina for supplements, but a domestic producer without clinical studies"),
    ("nl_fashion", "ro_textile_cluster", "cluster gives access to knitwear factories; recycled wool not mentioned"),
    ("gr_xr", "ro_geo_survey", "laser scanning and photogrammetry of buildings, not a heritage specialist"),
    ("ro_angels", "it_lifesci_fund", "VC that could lead follow-on rounds, but only for life-science portfolio companies"),
]

# Grade-0 pairs that a text-similarity engine is likely to rank high. Informational: they are NOT in
# `relevance` (absence means grade 0). Colleagues (same organisation) are listed automatically.
HARD_NEGATIVES = [
    ("de_battery", "pl_battery", "competitors", "both battery start-ups asking for 'investors for our battery start-up'"),
    ("ro_diecast", "cz_foundry", "competitors", "both aluminium die casters asking for robotic deburring"),
    ("ro_cyber", "cz_cyber", "competitors", "both pentest/NIS2 firms asking for resellers in Moldova and Ukraine"),
    ("ro_knitwear", "pt_knitwear", "competitors", "both knitwear makers asking for European brands (nearshoring)"),
    ("ro_spa_cluster", "bg_tourism", "competitors", "both tourism clusters asking for a booking platform for guesthouses"),
    ("fi_cm", "pl_uni_diag", "competitors", "both offer condition monitoring and both ask for pilot/demo factories"),
    ("ua_furniture", "ro_chairs", "competitors", "both furniture manufacturers offering production capacity"),
    ("ro_cnc", "pl_press", "competitors", "both metalworking subcontractors asking for digital shop-floor solutions"),
    ("at_food_fund", "it_lifesci_fund", "same_role", "two investors both offering capital and asking for dealflow"),
    ("nl_vc", "it_lifesci_fund", "same_role", "two VC funds both offering Series A and asking for CEE start-ups"),
    ("ro_voice_ai", "pl_battery", "same_role", "two start-ups both asking for seed investment"),
    ("it_uni_gi", "gr_uni_food", "similar_profile", "two food-identity / GI university departments, no complementary need"),
    ("ro_itc", "ro_it_banat", "similar_profile", "two Romanian IT clusters with near-identical profiles"),
    ("ro_furn_cluster", "ro_furn_buc", "similar_profile", "two Romanian furniture/design clusters"),
    ("ro_chairs", "ro_building_dist", "similar_request", "both ask for water-based, low-emission lacquers (user vs distributor)"),
    ("ro_itc_projects", "lt_bootcamp", "similar_profile", "both offer training for IT staff"),
    ("ro_pv", "ro_energy_cluster", "similar_profile", "PV installer and renewable energy cluster, no stated need between them"),
    ("ro_consult", "ro_edih", "buzzwords", "both profiles full of 'digitalizare/digital transformation, inovare, sustenabilitate'"),
    ("ro_consult", "fi_symbiosis", "buzzwords", "'economie circulară' / 'circular economy' in both, nothing complementary"),
    ("ro_trace_sw", "es_wood_lca", "buzzwords", "circular economy and ecodesign vocabulary, but DPP software vs LCA research"),
    ("ro_agro_cluster", "md_wine", "similar_profile", "Romanian-language agri-food/tourism profiles without complementary needs"),
]


# ---------------------------------------------------------------------------------------------
# Build, validate, report
# ---------------------------------------------------------------------------------------------

ROMANIAN_COMMA = set("șțȘȚ")
ROMANIAN_CEDILLA = set("şţŞŢ")


def build() -> dict:
    keys = [p["key"] for p in PARTICIPANTS]
    assert len(keys) == len(set(keys)), "duplicate participant keys"
    order = keys[:]
    random.Random(20250701).shuffle(order)  # ids carry no information about groups or pairs
    ids = {k: f"p{i + 1:03d}" for i, k in enumerate(order)}
    by_key = {p["key"]: p for p in PARTICIPANTS}

    participants = []
    for k in order:
        p = by_key[k]
        participants.append({"id": ids[k], **{f: p[f] for f in (
            "organisation", "organisation_kind", "country", "sectors", "languages", "profile", "offers", "requests")}})

    def pair(a: str, b: str) -> tuple[str, str]:
        for x in (a, b):
            if x not in ids:
                raise SystemExit(f"unknown participant key in pairs: {x}")
        return tuple(sorted((ids[a], ids[b])))  # type: ignore[return-value]

    relevance = []
    for a, b, diff, note in G2:
        x, y = pair(a, b)
        relevance.append({"a": x, "b": y, "grade": 2, "difficulty": diff, "note": note})
    for a, b, note in G1:
        x, y = pair(a, b)
        relevance.append({"a": x, "b": y, "grade": 1, "note": note})
    relevance.sort(key=lambda r: (-r["grade"], r["a"], r["b"]))

    hard = []
    for a, b, typ, note in HARD_NEGATIVES:
        x, y = pair(a, b)
        hard.append({"a": x, "b": y, "type": typ, "note": note})
    orgs: dict[str, list[str]] = {}
    for p in participants:
        orgs.setdefault(p["organisation"], []).append(p["id"])
    for org, members in sorted(orgs.items()):
        for i, x in enumerate(sorted(members)):
            for y in sorted(members)[i + 1:]:
                hard.append({"a": x, "b": y, "type": "colleagues", "note": f"same organisation: {org}"})
    hard.sort(key=lambda r: (r["type"], r["a"], r["b"]))

    return {
        "name": "Clusters Meet Regions style evaluation set",
        "version": 1,
        "description": (
            "Hand-written B2B matchmaking benchmark modelled on the ECCP Clusters Meet Regions event in "
            "Cluj-Napoca (July 2025). Organisations are fictional. Relevance is symmetric: grade 2 = a request "
            "of one side is answered by an offer of the other, grade 1 = plausible partner, absent = 0. "
            "`hard_negatives` lists grade-0 traps (competitors, colleagues, look-alike profiles); "
            "`text_language` records the language(s) each participant wrote in. See bench/data/README.md."
        ),
        "participants": sorted(participants, key=lambda p: p["id"]),
        "relevance": relevance,
        "hard_negatives": hard,
        "text_language": {ids[k]: TEXT_LANG[k] for k in sorted(ids, key=lambda k: ids[k])},
    }


def sentences(text: str) -> int:
    # count sentence ends, ignoring decimal points and abbreviations like 'e.g.' or 'Sp. z o.o.'
    return max(1, len(re.findall(r"[.!?](?:\s|$)(?=[A-ZĂÂÎȘȚŞŢÀ-ÖØ-Ý\"„«(]|$)", text.strip())))


def validate(data: dict) -> list[str]:
    errors: list[str] = []
    parts = data["participants"]
    ids = [p["id"] for p in parts]
    if len(ids) != len(set(ids)):
        errors.append("participant ids are not unique")
    by_id = {p["id"]: p for p in parts}
    for p in parts:
        pid = p["id"]
        if p["organisation_kind"] not in KINDS:
            errors.append(f"{pid}: bad kind {p['organisation_kind']}")
        if not re.fullmatch(r"[A-Z]{2}", p["country"]):
            errors.append(f"{pid}: bad country {p['country']}")
        if not p["sectors"] or any(s not in SECTORS for s in p["sectors"]):
            errors.append(f"{pid}: bad sectors {p['sectors']}")
        n = len(p["profile"].split())
        if not 30 <= n <= 120:
            errors.append(f"{pid}: profile has {n} words")
        for side in ("offers", "requests"):
            if not 1 <= len(p[side]) <= 3:
                errors.append(f"{pid}: {len(p[side])} {side}")
            for o in p[side]:
                if o["type"] not in TYPES:
                    errors.append(f"{pid}: bad type {o['type']}")
                if not o["title"].strip() or not o["description"].strip():
                    errors.append(f"{pid}: empty {side} title/description")
                k = sentences(o["description"])
                if not 1 <= k <= 3:
                    errors.append(f"{pid}: {side} description has {k} sentences: {o['description'][:60]}")
        text = " ".join([p["profile"]] + [o["title"] + " " + o["description"] for o in p["offers"] + p["requests"]])
        if ROMANIAN_COMMA & set(text) and ROMANIAN_CEDILLA & set(text):
            errors.append(f"{pid}: mixes comma-below and cedilla Romanian letters")

    seen: set[tuple[str, str]] = set()
    g2_partners: dict[str, set[str]] = {i: set() for i in ids}
    for r in data["relevance"]:
        a, b = r["a"], r["b"]
        if a not in by_id or b not in by_id:
            errors.append(f"unknown id in relevance {a}-{b}")
            continue
        if a == b:
            errors.append(f"self pair {a}")
        if by_id[a]["organisation"] == by_id[b]["organisation"]:
            errors.append(f"colleague pair {a}-{b} ({by_id[a]['organisation']})")
        key = tuple(sorted((a, b)))
        if key in seen:
            errors.append(f"duplicate pair {a}-{b}")
        seen.add(key)
        if r["grade"] not in (1, 2):
            errors.append(f"bad grade in {a}-{b}")
        if r["grade"] == 2:
            g2_partners[a].add(b)
            g2_partners[b].add(a)
            if r.get("difficulty") not in ("easy", "medium", "hard"):
                errors.append(f"grade-2 pair {a}-{b} lacks difficulty")
        if not r.get("note"):
            errors.append(f"pair {a}-{b} lacks a note")
    for i, ps in g2_partners.items():
        if not ps:
            errors.append(f"{i} ({by_id[i]['organisation']}) is in no grade-2 pair")
    for h in data.get("hard_negatives", []):
        if tuple(sorted((h["a"], h["b"]))) in seen:
            errors.append(f"hard negative {h['a']}-{h['b']} is also in relevance")
        if h["a"] not in by_id or h["b"] not in by_id:
            errors.append(f"unknown id in hard negatives {h['a']}-{h['b']}")
    if len(parts) < 120:
        errors.append(f"only {len(parts)} participants")
    if len({p['country'] for p in parts}) < 14:
        errors.append("fewer than 14 countries")
    if sum(r["grade"] == 2 for r in data["relevance"]) < 60:
        errors.append("fewer than 60 grade-2 pairs")
    return errors


def language_group(code: str) -> str:
    if code.startswith("ro"):
        return "Romanian (some or all texts)"
    if code == "en":
        return "English only"
    return "other EU language (some or all texts)"


def report(data: dict) -> str:
    parts = data["participants"]
    rel = data["relevance"]
    lines: list[str] = []
    add = lines.append
    add(f"participants: {len(parts)}")
    add(f"organisations: {len({p['organisation'] for p in parts})}")
    c = Counter(p["country"] for p in parts)
    add(f"countries ({len(c)}): " + ", ".join(f"{k} {v}" for k, v in c.most_common()))
    add("kinds: " + ", ".join(f"{k} {v}" for k, v in Counter(p["organisation_kind"] for p in parts).most_common()))
    tl = data["text_language"]
    add("text language: " + ", ".join(f"{k} {v}" for k, v in Counter(tl.values()).most_common()))
    add("text language groups: " + ", ".join(
        f"{k} {v} ({100 * v / len(parts):.0f}%)" for k, v in Counter(language_group(v) for v in tl.values()).most_common()))
    add("sectors (participants listing each): " + ", ".join(
        f"{k} {v}" for k, v in Counter(s for p in parts for s in p["sectors"]).most_common()))
    opps = [o for p in parts for o in p["offers"] + p["requests"]]
    add(f"offers: {sum(len(p['offers']) for p in parts)}, requests: {sum(len(p['requests']) for p in parts)}")
    add("opportunity types: " + ", ".join(f"{k} {v}" for k, v in Counter(o["type"] for o in opps).most_common()))
    words = sorted(len(p["profile"].split()) for p in parts)
    add(f"profile words: min {words[0]}, median {words[len(words) // 2]}, max {words[-1]}")
    g = Counter(r["grade"] for r in rel)
    add(f"relevance pairs: {len(rel)} (grade 2: {g[2]}, grade 1: {g[1]})")
    d = Counter(r["difficulty"] for r in rel if r["grade"] == 2)
    add("grade-2 difficulty: " + ", ".join(f"{k} {v} ({100 * v / g[2]:.0f}%)" for k, v in d.most_common()))
    hn = Counter(h["type"] for h in data["hard_negatives"])
    add("hard negatives (grade 0): " + ", ".join(f"{k} {v}" for k, v in hn.most_common()))
    deg2: Counter[str] = Counter()
    deg: Counter[str] = Counter()
    for r in rel:
        for x in (r["a"], r["b"]):
            deg[x] += 1
            if r["grade"] == 2:
                deg2[x] += 1
    add("grade-2 partners per participant: " + ", ".join(
        f"{k}: {v}" for k, v in sorted(Counter(deg2[p['id']] for p in parts).items())))
    add("relevant partners (grade >= 1) per participant: " + ", ".join(
        f"{k}: {v}" for k, v in sorted(Counter(deg[p['id']] for p in parts).items())))
    by_id = {p["id"]: set(p["sectors"]) for p in parts}
    for gr in (2, 1):
        rs = [r for r in rel if r["grade"] == gr]
        add(f"grade-{gr} pairs sharing a sector: {sum(bool(by_id[r['a']] & by_id[r['b']]) for r in rs)}/{len(rs)}")
    share = sum(bool(by_id[a] & by_id[b]) for i, a in enumerate(by_id) for b in list(by_id)[i + 1:])
    add(f"all participant pairs sharing a sector: {100 * share / (len(parts) * (len(parts) - 1) / 2):.0f}%")
    hns = data["hard_negatives"]
    add(f"hard negatives sharing a sector: {sum(bool(by_id[h['a']] & by_id[h['b']]) for h in hns)}/{len(hns)}")
    orgs = Counter(p["organisation"] for p in parts)
    multi = {o: n for o, n in orgs.items() if n > 1}
    add(f"organisations with several participants: {len(multi)} ({sum(multi.values())} participants)")
    return "\n".join(lines)


def baselines(data: dict) -> str:
    """Reference numbers for naive lexical rankers (not tuned; for orientation only)."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    parts = data["participants"]
    idx = {p["id"]: i for i, p in enumerate(parts)}
    n = len(parts)
    grade = np.zeros((n, n))
    for r in data["relevance"]:
        a, b = idx[r["a"]], idx[r["b"]]
        grade[a, b] = grade[b, a] = r["grade"]

    def opp(p: dict, side: str) -> str:
        return " ".join(o["title"] + " " + o["description"] for o in p[side])

    def score(sim: np.ndarray, name: str) -> str:
        sim = sim.copy()
        np.fill_diagonal(sim, -1e9)
        disc = 1 / np.log2(np.arange(2, 12))
        ndcg, rec = [], []
        for i in range(n):
            order = np.argsort(-sim[i])
            dcg = ((2 ** grade[i, order][:10] - 1) * disc).sum()
            idcg = ((2 ** np.sort(grade[i])[::-1][:10] - 1) * disc).sum()
            ndcg.append(dcg / idcg)
            rel2 = set(np.where(grade[i] == 2)[0])
            rec.append(len(rel2 & set(order[:5])) / len(rel2))
        above = total = 0
        for h in data["hard_negatives"]:
            for x, y in ((h["a"], h["b"]), (h["b"], h["a"])):
                i, j = idx[x], idx[y]
                total += 1
                above += bool(sim[i, j] > sim[i, grade[i] == 2].max())
        ranks: dict[str, list[int]] = {}
        for r in data["relevance"]:
            if r["grade"] == 2:
                a, b = idx[r["a"]], idx[r["b"]]
                best = min(int((sim[a] > sim[a, b]).sum()) + 1, int((sim[b] > sim[b, a]).sum()) + 1)
                ranks.setdefault(r["difficulty"], []).append(best)
        top5 = ", ".join(f"{k} {np.mean(np.array(v) <= 5):.0%}" for k, v in sorted(ranks.items()))
        return (f"| {name} | {np.mean(ndcg):.3f} | {np.mean(rec):.3f} | {above}/{total} | {top5} |")

    rows = ["| ranker | nDCG@10 | recall@5 (grade 2) | hard-negative directions above best grade-2 partner "
            "| grade-2 pairs in top 5 (either side) |", "| --- | --- | --- | --- | --- |"]
    for name, texts in (
        ("TF-IDF cosine of profiles", [p["profile"] for p in parts]),
        ("TF-IDF cosine of all text", [p["profile"] + " " + opp(p, "offers") + " " + opp(p, "requests") for p in parts]),
    ):
        x = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
        rows.append(score(cosine_similarity(x), name))
    for name, kw in (("words", {}), ("char 3-5-grams", {"analyzer": "char_wb", "ngram_range": (3, 5)})):
        offers = [opp(p, "offers") for p in parts]
        requests = [opp(p, "requests") for p in parts]
        vec = TfidfVectorizer(sublinear_tf=True, **kw).fit(offers + requests)
        sim = cosine_similarity(vec.transform(requests), vec.transform(offers))
        rows.append(score(sim + sim.T, f"TF-IDF request-to-offer, both directions ({name})"))
    return "\n".join(rows)


def main() -> None:
    if "--check" in sys.argv:
        data = json.loads(OUT.read_text(encoding="utf-8"))
    else:
        data = build()
    errors = validate(data)
    if errors:
        print("INVALID:")
        for e in errors:
            print("  -", e)
        raise SystemExit(1)
    if "--check" not in sys.argv:
        OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")
    print(report(data))
    if "--baselines" in sys.argv:
        print(baselines(data))


if __name__ == "__main__":
    main()
