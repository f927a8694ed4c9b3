// The cooperation's own public texts, from its public page and DOMAIN.md, in our own words.
// Nothing is invented: no contact details, events or news beyond what the sources state; news
// items report milestones on the day they happened.
#include <algorithm>
#include <array>

#include "portal/portal.hpp"

namespace ik::portal {
namespace {

struct SeedItem {
  Kind kind;
  std::string_view slug;
  std::string_view title_de, title_en;
  std::string_view summary_de, summary_en;
  std::string_view body_de, body_en;
  std::string_view date;  // ISO day or ""
  std::string_view category;
  std::string_view people;
  std::string_view url;
  int position;
};

constexpr std::array<SeedItem, 13> kItems{{
    {Kind::page, "kontakt", "Kontakt", "Contact",
     "So erreichen Sie die Städtekooperation Integration.Interkommunal.",
     "How to reach the Städtekooperation Integration.Interkommunal.",
     "Die Städtekooperation wird von ihrer Geschäftsstelle koordiniert. In jeder Mitgliedsstadt ist das "
     "**Kommunale Integrationszentrum** Ihre Ansprechstelle vor Ort.\n\n"
     "Die Kontaktdaten der Kommunalen Integrationszentren finden Sie auf den Seiten der "
     "[Mitgliedsstädte](/mitgliedsstaedte), sobald die Geschäftsstelle sie eingetragen hat.\n\n"
     "Hinweise zur Barrierefreiheit dieser Website senden Sie uns bitte über das Formular in der "
     "[Erklärung zur Barrierefreiheit](/barrierefreiheit).",
     "The cooperation is coordinated by its office. In every member city, the **Kommunales "
     "Integrationszentrum** (municipal integration centre) is your local point of contact.\n\n"
     "The contact details of the integration centres appear on the pages of the "
     "[member cities](/en/mitgliedsstaedte) once the office has entered them.\n\n"
     "Please send remarks on the accessibility of this website through the form in the "
     "[accessibility statement](/en/barrierefreiheit).",
     "", "", "", "", 1},
    {Kind::page, "impressum", "Impressum", "Legal notice",
     "Angaben zum Anbieter dieser Website.", "Information about the provider of this website.",
     "Diese Website ist das Portal der **Städtekooperation Integration.Interkommunal**, eines "
     "Zusammenschlusses der Städte Bochum, Bottrop, Dortmund, Duisburg, Essen, Gelsenkirchen, Hagen, "
     "Herne, Mülheim an der Ruhr und Oberhausen.\n\n"
     "Für die Inhalte ist die Geschäftsstelle der Städtekooperation verantwortlich. Die Texte der "
     "Mitgliedsstädte verantworten die jeweiligen Städte.\n\n"
     "Für die Inhalte verlinkter fremder Websites sind ausschließlich deren Betreiber verantwortlich.",
     "This website is the portal of the **Städtekooperation Integration.Interkommunal**, an alliance of "
     "the cities of Bochum, Bottrop, Dortmund, Duisburg, Essen, Gelsenkirchen, Hagen, Herne, Mülheim an "
     "der Ruhr and Oberhausen.\n\n"
     "The office of the cooperation is responsible for the content. Texts of the member cities are the "
     "responsibility of the city concerned.\n\n"
     "The operators of linked external websites alone are responsible for their content.",
     "", "", "", "", 2},
    {Kind::page, "datenschutz", "Datenschutzerklärung", "Privacy policy",
     "Welche Daten diese Website verarbeitet und wozu.", "Which data this website processes and why.",
     "# Besuch der Website\n\n"
     "Beim Aufruf einer Seite verarbeitet der Server die Adresse Ihres Geräts, die aufgerufene Adresse, "
     "den Zeitpunkt und das Ergebnis der Anfrage. Diese Angaben dienen nur dem sicheren Betrieb und der "
     "Fehlersuche.\n\n"
     "Die öffentlichen Seiten setzen keine Cookies. Enthält eine Seite ein Formular, wird ein Cookie "
     "gesetzt, das Formulare vor Missbrauch durch fremde Websites schützt. Nach der Anmeldung hält ein "
     "Sitzungs-Cookie Sie angemeldet; es wird bei der Abmeldung gelöscht.\n\n"
     "Die Website verwendet keine Analyse- oder Werbedienste und lädt keine Inhalte von fremden Servern.\n\n"
     "# Rückmeldungen zur Barrierefreiheit\n\n"
     "Wenn Sie das Rückmeldeformular nutzen, speichern wir Ihre Nachricht sowie – falls angegeben – Ihren "
     "Namen und Ihre E-Mail-Adresse, um Ihr Anliegen zu bearbeiten und Ihnen zu antworten.",
     "# Visiting the website\n\n"
     "When you open a page, the server processes your device's address, the address requested, the time "
     "and the result of the request. This serves only secure operation and troubleshooting.\n\n"
     "The public pages set no cookies. A page with a form sets one cookie that protects forms against "
     "misuse by other websites. After signing in, a session cookie keeps you signed in; it is deleted "
     "when you sign out.\n\n"
     "The website uses no analytics or advertising services and loads no content from other servers.\n\n"
     "# Accessibility feedback\n\n"
     "If you use the feedback form, we store your message and – if given – your name and e-mail address "
     "in order to handle your request and reply to you.",
     "", "", "", "", 3},
    {Kind::page, "barrierefreiheit", "Erklärung zur Barrierefreiheit", "Accessibility statement",
     "Wie barrierefrei diese Website ist und wie Sie uns Barrieren melden.",
     "How accessible this website is and how to report barriers.",
     "Die Mitgliedsstädte der Städtekooperation sind öffentliche Stellen. Diese Website soll die "
     "Anforderungen der Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) und der WCAG 2.1 auf "
     "Stufe AA erfüllen.\n\n"
     "# Stand der Vereinbarkeit\n\n"
     "Jede Seite wird in deutscher und englischer Sprache, auf schmalen und breiten Bildschirmen "
     "automatisch mit axe-core geprüft. Die Seiten lassen sich vollständig mit der Tastatur bedienen "
     "und auf 200 % vergrößern.\n\n"
     "# Barriere melden\n\n"
     "Ist Ihnen eine Barriere aufgefallen? Schreiben Sie uns über das Formular auf dieser Seite. Ihre "
     "Nachricht erreicht die Geschäftsstelle der Städtekooperation.\n\n"
     "# Durchsetzungsverfahren\n\n"
     "Erhalten Sie keine zufriedenstellende Antwort, können Sie sich an die Ombudsstelle für "
     "barrierefreie Informationstechnik des Landes Nordrhein-Westfalen wenden.",
     "The member cities of the cooperation are public bodies. This website aims to meet the "
     "requirements of the German accessibility regulation (BITV 2.0) and WCAG 2.1 at level AA.\n\n"
     "# Compliance\n\n"
     "Every page is checked automatically with axe-core in German and English, on narrow and wide "
     "screens. All pages can be used with the keyboard alone and enlarged to 200 %.\n\n"
     "# Report a barrier\n\n"
     "Have you come across a barrier? Write to us with the form on this page. Your message reaches the "
     "office of the cooperation.\n\n"
     "# Enforcement\n\n"
     "If you do not receive a satisfactory answer, you can turn to the ombudsman for accessible "
     "information technology of the state of North Rhine-Westphalia.",
     "", "", "", "", 4},
    {Kind::page, "leichte-sprache", "Leichte Sprache", "Easy-to-read German",
     "Die Städtekooperation in Leichter Sprache.", "The cooperation in easy-to-read German.",
     "Zehn Städte im Ruhrgebiet arbeiten zusammen.\n\n"
     "Die Städte heißen: Bochum, Bottrop, Dortmund, Duisburg, Essen, Gelsenkirchen, Hagen, Herne, "
     "Mülheim an der Ruhr und Oberhausen.\n\n"
     "Die Zusammenarbeit heißt: Städtekooperation Integration.Interkommunal.\n\n"
     "Das Motto ist: Vielfalt schafft Zukunft.\n\n"
     "In den Städten leben viele Menschen aus anderen Ländern.\n\n"
     "Auch ihre Eltern oder Groß-Eltern kommen oft aus anderen Ländern.\n\n"
     "Die Städte wollen: Diese Menschen sollen auch in der Stadt-Verwaltung arbeiten.\n\n"
     "Die Mitarbeiter in der Verwaltung sollen gut mit allen Menschen umgehen können.\n\n"
     "Das nennt man: Interkulturelle Kompetenz.",
     "Ten cities in the Ruhr area work together.\n\n"
     "The cities are: Bochum, Bottrop, Dortmund, Duisburg, Essen, Gelsenkirchen, Hagen, Herne, "
     "Mülheim an der Ruhr and Oberhausen.\n\n"
     "The motto is: Diversity creates future.\n\n"
     "Many people in these cities come from other countries, or their parents do.\n\n"
     "The cities want these people to work in the city administration as well.\n\n"
     "And everyone in the administration should deal well with all people.",
     "", "", "", "", 5},
    {Kind::partner, "partnerinitiative-nrw", "Partnerinitiative „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt“",
     "Partner initiative \"Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt\"",
     "Die landesweite Initiative für interkulturelle Öffnung in Nordrhein-Westfalen. Die Städtekooperation "
     "ist ihr 2013 beigetreten.",
     "The state-wide initiative for intercultural opening in North Rhine-Westphalia. The cooperation "
     "joined it in 2013.",
     "", "", "2013", "initiative", "", "", 1},
    {Kind::agreement, "kontrakt-interkulturelle-staedteregion-ruhr", "Kontrakt „Interkulturelle Städteregion Ruhr“",
     "Contract \"Interkulturelle Städteregion Ruhr\"",
     "Die Grundlage der Zusammenarbeit, unterzeichnet in Bochum.",
     "The basis of the cooperation, signed in Bochum.", "", "", "2010-05-28", "",
     "Bochum, Dortmund, Duisburg, Essen, Mülheim an der Ruhr und Oberhausen (Erstunterzeichnerinnen); "
     "später beigetreten: Gelsenkirchen, Herne, Bottrop und Hagen",
     "", 1},
    {Kind::agreement, "ein-zeichen-fuer-vielfalt-und-talente", "Vereinbarung „Ein Zeichen für Vielfalt und Talente!“",
     "Agreement \"Ein Zeichen für Vielfalt und Talente!\"",
     "Ein Bündnis von Kommunen, Wirtschaft und Wissenschaft für Vielfalt und Talente in der Metropole Ruhr.",
     "An alliance of municipalities, business and science for diversity and talent in the Ruhr "
     "metropolis.",
     "", "", "2011-09-20", "",
     "Oberbürgermeisterinnen und Oberbürgermeister der Mitgliedsstädte gemeinsam mit Vertretungen von "
     "Unternehmen, Verbänden und Hochschulen",
     "", 2},
    {Kind::agreement, "vielfalt-verbindet", "Partnervereinbarung „Vielfalt verbindet. Interkulturelle Öffnung als Erfolgsfaktor“",
     "Partner agreement \"Vielfalt verbindet. Interkulturelle Öffnung als Erfolgsfaktor\"",
     "Unterzeichnet in Herne von acht Städten des Ruhrgebiets und dem Integrationsministerium des Landes.",
     "Signed in Herne by eight cities of the Ruhr area and the state's ministry of integration.", "", "",
     "2013-07-09", "", "Acht Ruhrgebietsstädte und das Integrationsministerium des Landes Nordrhein-Westfalen",
     "", 3},
    {Kind::news, "zeichen-fuer-vielfalt-und-talente-unterzeichnet", "„Ein Zeichen für Vielfalt und Talente!“ unterzeichnet",
     "\"Ein Zeichen für Vielfalt und Talente!\" signed",
     "Rund 100 Gäste erlebten, wie Stadtspitzen, Unternehmen, Verbände und Hochschulen ein gemeinsames "
     "Zeichen setzten.",
     "About 100 guests saw city leaders, companies, associations and universities set a joint sign.",
     "Rund 100 geladene Gäste folgten der Einladung der Städtekooperation. Oberbürgermeisterinnen und "
     "Oberbürgermeister unterzeichneten gemeinsam mit Vertreterinnen und Vertretern von Unternehmen, "
     "Verbänden und Hochschulen die Vereinbarung „Ein Zeichen für Vielfalt und Talente!“.\n\n"
     "Das Bündnis will die Talente der Region fördern, neue Talente für die Metropole Ruhr gewinnen und "
     "eine Willkommenskultur schaffen – unabhängig von Herkunft, Bildungshintergrund und sozialem Status "
     "der Eltern.",
     "About 100 invited guests followed the cooperation's invitation. Lord mayors signed the agreement "
     "\"Ein Zeichen für Vielfalt und Talente!\" together with representatives of companies, associations "
     "and universities.\n\n"
     "The alliance wants to foster the region's talent, win new talent for the Ruhr metropolis and build "
     "a culture of welcome – regardless of origin, educational background and the parents' social status.",
     "2011-09-20", "meilensteine", "", "", 0},
    {Kind::news, "partnervereinbarung-herne", "Acht Städte unterzeichnen Partnervereinbarung in Herne",
     "Eight cities sign partner agreement in Herne",
     "Die Städte vereinbaren mit dem Integrationsministerium, die interkulturelle Öffnung voranzubringen.",
     "The cities agree with the ministry of integration to advance intercultural opening.",
     "Am 9. Juli 2013 unterzeichneten acht Städte des Ruhrgebiets in Herne die Partnervereinbarung "
     "„Vielfalt verbindet. Interkulturelle Öffnung als Erfolgsfaktor“ mit dem Integrationsministerium "
     "des Landes Nordrhein-Westfalen.\n\n"
     "Im selben Jahr trat die Städtekooperation der landesweiten Partnerinitiative „Erfolgsfaktor "
     "Interkulturelle Öffnung – NRW stärkt Vielfalt“ bei.",
     "On 9 July 2013, eight cities of the Ruhr area signed the partner agreement \"Vielfalt verbindet. "
     "Interkulturelle Öffnung als Erfolgsfaktor\" with the integration ministry of North "
     "Rhine-Westphalia in Herne.\n\n"
     "In the same year, the cooperation joined the state-wide partner initiative \"Erfolgsfaktor "
     "Interkulturelle Öffnung – NRW stärkt Vielfalt\".",
     "2013-07-09", "meilensteine", "", "", 0},
    {Kind::news, "bottrop-tritt-bei", "Bottrop wird neunte Mitgliedsstadt", "Bottrop becomes the ninth member city",
     "Nach zwei Jahren als Gastkommune unterzeichnet Bottrop den Kontrakt.",
     "After two years as a guest, Bottrop signs the contract.",
     "Bottrop hatte seit 2013 als Gastkommune mitgearbeitet. Am 2. September 2015 unterzeichnete "
     "Oberbürgermeister Bernd Tischler den Kontrakt „Interkulturelle Städteregion Ruhr“; Bottrop ist "
     "damit die neunte Mitgliedsstadt.",
     "Bottrop had taken part as a guest municipality since 2013. On 2 September 2015, Lord Mayor Bernd "
     "Tischler signed the contract \"Interkulturelle Städteregion Ruhr\", making Bottrop the ninth "
     "member city.",
     "2015-09-02", "meilensteine", "", "", 0},
    {Kind::news, "hagen-tritt-bei", "Hagen wird zehnte Mitgliedsstadt", "Hagen becomes the tenth member city",
     "Der Rat der Stadt Hagen hatte den Beitritt im September beschlossen.",
     "Hagen's city council had decided to join in September.",
     "Seit dem 27. November 2023 ist Hagen Mitglied der Städtekooperation. Der Rat der Stadt hatte den "
     "Beitritt am 21. September 2023 beschlossen. Damit arbeiten zehn Städte zusammen.",
     "Hagen has been a member of the cooperation since 27 November 2023. The city council had decided to "
     "join on 21 September 2023. Ten cities now work together.",
     "2023-11-27", "meilensteine", "", "", 0},
}};

Fields fields_of(const SeedItem& seed) {
  Fields fields;
  fields.kind = seed.kind;
  fields.slug = std::string(seed.slug);
  fields.title = {std::string(seed.title_de), std::string(seed.title_en)};
  fields.summary = {std::string(seed.summary_de), std::string(seed.summary_en)};
  fields.body = {std::string(seed.body_de), std::string(seed.body_en)};
  if (!seed.date.empty()) fields.date = parse_iso_date(seed.date);
  fields.category = std::string(seed.category);
  fields.people = std::string(seed.people);
  fields.url = std::string(seed.url);
  fields.position = seed.position;
  return fields;
}

}  // namespace

Result<int> seed(Portal& portal) {
  auto existing = portal.list({.published_only = false});
  if (!existing) return existing.take_error();
  const Actor system{std::nullopt, "system", ""};
  int created = 0;
  for (const auto& seed_item : kItems) {
    const bool present = std::any_of(existing->begin(), existing->end(), [&](const Item& item) {
      return item.kind == seed_item.kind && item.slug == seed_item.slug;
    });
    if (present) continue;
    auto id = portal.create(fields_of(seed_item), system);
    if (!id) return id.take_error();
    IK_TRY(portal.publish(*id, std::nullopt, system));
    ++created;
  }
  return created;
}

}  // namespace ik::portal
