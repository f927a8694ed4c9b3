// The cooperation's own data, from its public page and the sources in shared/reference. Dates
// carry the precision they are known with; unknown dates are not invented (Gelsenkirchen and
// Herne: members at the latest on 9 July 2013).
#include <array>
#include <string_view>

#include "audit/audit.hpp"
#include "cooperation/cooperation.hpp"
#include "core/clock.hpp"
#include "storage/storage.hpp"

namespace ik::cooperation {
namespace {

struct SeedMembership {
  std::string_view status, since, since_precision, until, until_precision, note_de, note_en, source;
};

struct SeedCity {
  std::string_view slug, name;
  int map_x, map_y;
  std::array<SeedMembership, 2> memberships;  // second is empty when there is only one phase
};

constexpr std::string_view kContractSource =
    "Kontrakt „Interkulturelle Städteregion Ruhr“, unterzeichnet am 28.05.2010 in Bochum";
constexpr std::string_view kFirstNoteDe = "Erstunterzeichnerin des Kontrakts";
constexpr std::string_view kFirstNoteEn = "First signatory of the contract";
constexpr std::string_view kHerneNoteDe =
    "Später beigetreten; genaues Datum unbekannt. Spätestens am 9. Juli 2013 Mitglied "
    "(Unterzeichnung der Partnervereinbarung in Herne durch acht Städte).";
constexpr std::string_view kHerneNoteEn =
    "Joined later; exact date unknown. A member by 9 July 2013 at the latest (eight cities signed "
    "the partner agreement in Herne).";
constexpr std::string_view kHerneSource =
    "integration-interkommunal.net: Partnervereinbarung vom 09.07.2013; WAZ „Gemeinsam für die Integration“";

constexpr SeedMembership kFirst{"member", "2010-05-28", "day", "", "", kFirstNoteDe, kFirstNoteEn, kContractSource};
constexpr SeedMembership kBy2013{"member", "2013-07-09", "by", "", "", kHerneNoteDe, kHerneNoteEn, kHerneSource};
constexpr SeedMembership kNone{};

constexpr std::array<SeedCity, 10> kCities{{
    {"bochum", "Bochum", 56, 52, {kFirst, kNone}},
    {"dortmund", "Dortmund", 80, 44, {kFirst, kNone}},
    {"duisburg", "Duisburg", 8, 48, {kFirst, kNone}},
    {"essen", "Essen", 38, 52, {kFirst, kNone}},
    {"muelheim-an-der-ruhr", "Mülheim an der Ruhr", 22, 60, {kFirst, kNone}},
    {"oberhausen", "Oberhausen", 20, 38, {kFirst, kNone}},
    {"gelsenkirchen", "Gelsenkirchen", 42, 34, {kBy2013, kNone}},
    {"herne", "Herne", 58, 34, {kBy2013, kNone}},
    {"bottrop", "Bottrop", 30, 24,
     {SeedMembership{"guest", "2013", "year", "2015-09-02", "day", "Gastkommune",
                     "Guest municipality", "Stadt Bottrop, Referat Migration"},
      SeedMembership{"member", "2015-09-02", "day", "", "",
                     "Beitritt als neunte Stadt: Oberbürgermeister Bernd Tischler unterzeichnet den Kontrakt.",
                     "Joined as the ninth city: Lord Mayor Bernd Tischler signed the contract.",
                     "integration-interkommunal.net, Über uns"}}},
    {"hagen", "Hagen", 76, 74,
     {SeedMembership{"member", "2023-11-27", "day", "", "",
                     "Zehnte Mitgliedsstadt; der Rat hatte den Beitritt am 21. September 2023 beschlossen.",
                     "Tenth member city; the council had decided to join on 21 September 2023.",
                     "Stadt Hagen, Pressemitteilung"},
      kNone}},
}};

struct SeedBody {
  std::string_view slug, name_de, name_en, composition_de, composition_en, tasks_de, tasks_en;
};

constexpr std::array<SeedBody, 2> kBodies{{
    {"regiegruppe", "Regiegruppe", "Steering group",
     "Die Dezernentinnen und Dezernenten beziehungsweise die Leitungen der Integrationsressorts der "
     "Mitgliedsstädte.",
     "The heads of department (Dezernent*innen) or heads of the integration departments of the member "
     "cities.",
     "Sie steuert die Städtekooperation: Sie legt Schwerpunkte fest, trifft Entscheidungen und vertritt "
     "die Kooperation nach außen.",
     "It steers the cooperation: it sets priorities, takes decisions and represents the cooperation "
     "externally."},
    {"projektgruppe", "Projektgruppe", "Project group",
     "Mitarbeitende der Kommunalen Integrationszentren der Mitgliedsstädte. Je nach Thema arbeiten "
     "Fachleute aus dem Personalmanagement oder anderen Fachbereichen mit.",
     "Staff of the municipal integration centres (Kommunale Integrationszentren) of the member cities. "
     "Depending on the topic, experts from human resources or other departments take part.",
     "Sie setzt die Arbeit operativ um: Sie bereitet Themen auf, entwickelt gemeinsame Verfahren und "
     "Handreichungen und organisiert den Austausch zwischen den Städten.",
     "It does the operational work: it prepares topics, develops shared procedures and handbooks and "
     "organises the exchange between the cities."},
}};

struct SeedTitle {
  std::string_view slug, de, en;
};

constexpr std::array<SeedTitle, 5> kThemes{{
    {"demografie-und-integration",
     "Demografischer Wandel und die Gestaltung von Migration und Integration",
     "Demographic change and shaping migration and integration"},
    {"vielfalt-und-personalmanagement",
     "Umgang mit Vielfalt und ein Personalmanagement, das auf Diversität setzt",
     "Managing diversity and diversity-oriented human resources management"},
    {"nachwuchs-aus-der-region",
     "Auszubildende, Nachwuchskräfte und Beschäftigte mit Migrationsgeschichte aus der Region und für "
     "die Region gewinnen",
     "Recruiting trainees, junior staff and employees with a migration history from and for the region"},
    {"standort-und-integration",
     "Standortfragen bei zunehmender Internationalisierung und demografischem Wandel mit gelingender "
     "Integration verbinden",
     "Linking questions of location under growing internationalisation and demographic change with "
     "successful integration"},
    {"teilhabe-benachteiligter-gruppen", "Teilhabe sozial benachteiligter Bevölkerungsgruppen",
     "Inclusion of socially disadvantaged groups"},
}};

constexpr std::array<SeedTitle, 7> kActionGoals{{
    {"erfahrungsaustausch", "Erfahrungen austauschen und vorhandenes Wissen nutzen",
     "Exchange experience and use existing know-how"},
    {"transparenz-und-synergien", "Transparenz schaffen und Synergien nutzen",
     "Create transparency and synergies"},
    {"einheitliche-verfahren",
     "Geeignete Formate und einheitliche Verfahren entwickeln, etwa zur Erfassung interkultureller "
     "Kompetenz",
     "Develop suitable formats and standard procedures, for example for capturing intercultural "
     "competence"},
    {"bewerbungen-und-einstellungen",
     "Strategien für mehr Bewerbungen und Einstellungen junger Menschen mit Zuwanderungsgeschichte",
     "Strategies for more applications and hires of young people with an immigration history"},
    {"ausbildungs-und-fachkraeftemarkt",
     "Konzepte für die Zusammenarbeit auf dem Ausbildungs- und Fachkräftemarkt der Metropole Ruhr, "
     "die Vielfalt mitdenken",
     "Concepts for cooperation on the training and skilled-labour market of the Ruhr metropolis that "
     "take diversity into account"},
    {"verstetigung", "Die Zusammenarbeit dauerhaft verankern – über einzelne Projekte hinaus",
     "Make the cooperation last – beyond individual projects"},
    {"weitere-partner", "Weitere Partnerinnen und Partner gewinnen", "Win further partners"},
}};

struct SeedMilestone {
  std::string_view slug, date, precision, title_de, title_en, description_de, description_en;
};

constexpr std::array<SeedMilestone, 7> kMilestones{{
    {"kontrakt-2010", "2010-05-28", "day", "Kontrakt „Interkulturelle Städteregion Ruhr“",
     "Contract \"Interkulturelle Städteregion Ruhr\"",
     "Bochum, Dortmund, Duisburg, Essen, Mülheim an der Ruhr und Oberhausen unterzeichnen in Bochum den "
     "Kontrakt, der die Grundlage der Kooperation bildet.",
     "Bochum, Dortmund, Duisburg, Essen, Mülheim an der Ruhr and Oberhausen sign the contract in Bochum "
     "that forms the basis of the cooperation."},
    {"ergebnisdokumentation-2011", "2011-09-12", "day", "Dokumentation der Ergebnisse",
     "Documentation of results",
     "Die Kooperation veröffentlicht eine Dokumentation ihrer bisherigen Ergebnisse.",
     "The cooperation publishes a documentation of its results so far."},
    {"zeichen-fuer-vielfalt-2011", "2011-09-20", "day", "Vereinbarung „Ein Zeichen für Vielfalt und Talente!“",
     "Agreement \"Ein Zeichen für Vielfalt und Talente!\"",
     "Oberbürgermeisterinnen und Oberbürgermeister unterzeichnen die Vereinbarung gemeinsam mit "
     "Unternehmen, Verbänden und Hochschulen; rund 100 Gäste sind dabei.",
     "Lord mayors sign the agreement together with companies, associations and universities; about "
     "100 guests attend."},
    {"partnerinitiative-2013", "2013", "year", "Beitritt zur Partnerinitiative des Landes",
     "Joining the state's partner initiative",
     "Die Kooperation tritt der landesweiten Partnerinitiative „Erfolgsfaktor Interkulturelle Öffnung – "
     "NRW stärkt Vielfalt“ bei.",
     "The cooperation joins the state-wide partner initiative \"Erfolgsfaktor Interkulturelle Öffnung – "
     "NRW stärkt Vielfalt\"."},
    {"herne-2013", "2013-07-09", "day", "Partnervereinbarung „Vielfalt verbindet“ in Herne",
     "Partner agreement \"Vielfalt verbindet\" in Herne",
     "Acht Ruhrgebietsstädte unterzeichnen mit dem Integrationsministerium des Landes die "
     "Partnervereinbarung „Vielfalt verbindet. Interkulturelle Öffnung als Erfolgsfaktor“.",
     "Eight Ruhr cities sign the partner agreement \"Vielfalt verbindet. Interkulturelle Öffnung als "
     "Erfolgsfaktor\" with the state's integration ministry."},
    {"bottrop-2015", "2015-09-02", "day", "Bottrop wird neunte Mitgliedsstadt", "Bottrop becomes the ninth member",
     "Nach zwei Jahren als Gastkommune unterzeichnet Bottrop den Kontrakt.",
     "After two years as a guest municipality, Bottrop signs the contract."},
    {"hagen-2023", "2023-11-27", "day", "Hagen wird zehnte Mitgliedsstadt", "Hagen becomes the tenth member",
     "Nach dem Ratsbeschluss vom 21. September 2023 tritt Hagen der Kooperation bei.",
     "Following the council decision of 21 September 2023, Hagen joins the cooperation."},
}};

struct SeedPublication {
  std::string_view slug, series, title_de, title_en, date, precision;
};

constexpr std::string_view kSeries = "Vielfalt schafft Zukunft";
constexpr std::array<SeedPublication, 9> kPublications{{
    {"einfuehrung-und-rahmenbedingungen", kSeries, "Einführung und Rahmenbedingungen",
     "Introduction and framework", "", ""},
    {"basis-modul-interkulturelle-sensibilisierung", kSeries, "Basis Modul Interkulturelle Sensibilisierung",
     "Basic module: intercultural awareness", "", ""},
    {"gewinnung-junger-talente", kSeries, "Gewinnung junger Talente mit Zuwanderungsgeschichte",
     "Recruiting young talent with an immigration history", "", ""},
    {"ausbildungs-und-fachkraeftemarkt", kSeries,
     "Interkommunale Zusammenarbeit auf dem Ausbildungs- und Fachkräftemarkt",
     "Inter-municipal cooperation on the training and skilled-labour market", "", ""},
    {"erfolgsfaktoren", kSeries, "Erfolgsfaktoren interkommunaler Zusammenarbeit",
     "Success factors of inter-municipal cooperation", "", ""},
    {"qualitaetsmerkmal-ikk", kSeries, "Qualitätsmerkmal „Interkulturelle Kompetenz“",
     "Intercultural competence as a mark of quality", "", ""},
    {"steuerung-von-integrationsprozessen", kSeries,
     "Steuerung von Integrationsprozessen durch interkommunale Zusammenarbeit",
     "Steering integration processes through inter-municipal cooperation", "", ""},
    {"ergebnisdokumentation-2011", "", "Ergebnisdokumentation", "Documentation of results",
     "2011-09-12", "day"},
    {"vereinbarung-zeichen-fuer-vielfalt", "", "Vereinbarung „Ein Zeichen für Vielfalt und Talente!“",
     "Agreement \"Ein Zeichen für Vielfalt und Talente!\"", "2011-09-20", "day"},
}};

constexpr std::string_view kInsertCity = R"sql(
  INSERT INTO city (slug, name, map_x, map_y) VALUES ($1, $2, $3, $4)
  ON CONFLICT (slug) DO NOTHING RETURNING id)sql";
constexpr std::string_view kInsertMembership = R"sql(
  INSERT INTO city_membership (city_id, status, since_date, since_precision, until_date,
                               until_precision, note_de, note_en, source)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9))sql";
constexpr std::string_view kInsertBody = R"sql(
  INSERT INTO body (slug, name_de, name_en, composition_de, composition_en, tasks_de, tasks_en)
  VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (slug) DO NOTHING)sql";
constexpr std::string_view kInsertTheme = R"sql(
  INSERT INTO theme (slug, position, title_de, title_en) VALUES ($1, $2, $3, $4)
  ON CONFLICT (slug) DO NOTHING)sql";
constexpr std::string_view kInsertActionGoal = R"sql(
  INSERT INTO action_goal (slug, position, title_de, title_en) VALUES ($1, $2, $3, $4)
  ON CONFLICT (slug) DO NOTHING)sql";
constexpr std::string_view kInsertMilestone = R"sql(
  INSERT INTO milestone (slug, event_date, event_precision, title_de, title_en, description_de,
                         description_en)
  VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (slug) DO NOTHING)sql";
constexpr std::string_view kInsertPublication = R"sql(
  INSERT INTO publication (slug, series, position, title_de, title_en, published_date,
                           published_precision, language)
  VALUES ($1, $2, $3, $4, $5, $6, $7, 'de') ON CONFLICT (slug) DO NOTHING)sql";

storage::Value text_or_null(std::string_view text) {
  return text.empty() ? storage::Value{storage::Null{}} : storage::Value{std::string(text)};
}

std::string text(std::string_view view) { return std::string(view); }

Result<int> seed_cities(storage::Transaction& transaction) {
  int inserted = 0;
  for (const auto& city : kCities) {
    auto row = transaction.query_one(kInsertCity, {text(city.slug), text(city.name),
                                                   std::int64_t{city.map_x}, std::int64_t{city.map_y}});
    if (!row) return row.take_error();
    // The history is loaded only with a new city, so that later corrections by the office survive.
    if (!row->has_value()) continue;
    ++inserted;
    const auto city_id = (*row)->integer(0);
    for (const auto& phase : city.memberships) {
      if (phase.status.empty()) continue;
      auto done = transaction.execute(
          kInsertMembership, {city_id, text(phase.status), text(phase.since), text(phase.since_precision),
                              text_or_null(phase.until), text_or_null(phase.until_precision),
                              text(phase.note_de), text(phase.note_en), text(phase.source)});
      if (!done) return done.take_error();
      ++inserted;
    }
  }
  return inserted;
}

template <class Rows, class Bind>
Result<int> seed_rows(storage::Transaction& transaction, std::string_view sql, const Rows& rows, Bind bind) {
  int inserted = 0;
  int position = 0;
  for (const auto& row : rows) {
    auto changed = transaction.execute(sql, bind(row, ++position));
    if (!changed) return changed.take_error();
    inserted += static_cast<int>(*changed);
  }
  return inserted;
}

}  // namespace

Result<int> seed(storage::Storage& storage) {
  int inserted = 0;
  auto status = storage.write([&](storage::Transaction& transaction) -> Status {
    inserted = 0;
    auto add = [&](Result<int> count) -> Status {
      if (!count) return count.take_error();
      inserted += *count;
      return {};
    };
    IK_TRY(add(seed_cities(transaction)));
    IK_TRY(add(seed_rows(transaction, kInsertBody, kBodies, [](const SeedBody& body, int) {
      return storage::Params{text(body.slug), text(body.name_de), text(body.name_en), text(body.composition_de),
                             text(body.composition_en), text(body.tasks_de), text(body.tasks_en)};
    })));
    const auto title_params = [](const SeedTitle& title, int position) {
      return storage::Params{text(title.slug), std::int64_t{position}, text(title.de), text(title.en)};
    };
    IK_TRY(add(seed_rows(transaction, kInsertTheme, kThemes, title_params)));
    IK_TRY(add(seed_rows(transaction, kInsertActionGoal, kActionGoals, title_params)));
    IK_TRY(add(seed_rows(transaction, kInsertMilestone, kMilestones, [](const SeedMilestone& milestone, int) {
      return storage::Params{text(milestone.slug), text(milestone.date), text(milestone.precision),
                             text(milestone.title_de), text(milestone.title_en),
                             text(milestone.description_de), text(milestone.description_en)};
    })));
    IK_TRY(add(seed_rows(transaction, kInsertPublication, kPublications,
                         [](const SeedPublication& publication, int position) {
      return storage::Params{text(publication.slug), text(publication.series), std::int64_t{position},
                             text(publication.title_de), text(publication.title_en),
                             text_or_null(publication.date), text_or_null(publication.precision)};
    })));
    if (inserted == 0) return {};
    return audit::record(transaction, audit::Entry{
        .at = SystemClock().now(),
        .actor_name = "system",
        .action = "seed.apply",
        .entity = "cooperation",
        .entity_id = "seed",
        .after_json = "{\"rows_inserted\":" + std::to_string(inserted) + "}",
    });
  });
  if (!status) return status.take_error();
  return inserted;
}

}  // namespace ik::cooperation
