#include "web/messages.hpp"

#include <unordered_map>

#include "web/catalogue_parts.hpp"

namespace ik::web {
namespace {

// key, German, English
// The site frame, portal skeleton, accounts and administration. Capabilities keep their texts in
// their own part (catalogue_parts.hpp) so that each area edits only its own file.
const std::vector<CatalogueEntry> kCatalogue = {
    // Site frame
    {"site.name", "Städtekooperation Integration.Interkommunal", "City Cooperation Integration.Interkommunal"},
    {"site.motto", "Vielfalt schafft Zukunft", "Diversity creates the future"},
    {"site.skip_to_content", "Zum Inhalt springen", "Skip to content"},
    {"site.main_navigation", "Hauptnavigation", "Main navigation"},
    {"site.language_switch", "English", "Deutsch"},
    {"site.language_switch_label", "Diese Seite auf Englisch", "This page in German"},
    {"site.footer_label", "Fußzeile", "Footer"},
    {"site.footer_text", "Eine Kooperation von zehn Städten im Ruhrgebiet seit 2010.",
     "A cooperation of ten cities in the Ruhr region since 2010."},
    {"site.signed_in_as", "Angemeldet als {name}", "Signed in as {name}"},
    {"site.account_navigation", "Konto", "Account"},

    // Navigation
    {"nav.home", "Start", "Home"},
    {"nav.cooperation", "Die Kooperation", "The cooperation"},
    {"nav.cities", "Mitgliedsstädte", "Member cities"},
    {"nav.figures", "Zahlen", "Figures"},
    {"nav.themes", "Themen und Ziele", "Themes and goals"},
    {"nav.bodies", "Gremien", "Bodies"},
    {"nav.partners", "Partner", "Partners"},
    {"nav.publications", "Publikationen", "Publications"},
    {"nav.sign_in", "Anmelden", "Sign in"},
    {"nav.sign_out", "Abmelden", "Sign out"},
    {"nav.my_area", "Mein Bereich", "My area"},
    {"nav.password", "Passwort ändern", "Change password"},
    {"nav.admin_users", "Benutzer", "Users"},
    {"nav.admin_cities", "Städte", "Cities"},
    {"nav.audit", "Protokoll", "Audit log"},
    {"nav.api_tokens", "API-Schlüssel", "API keys"},

    // Home
    {"home.title", "Start", "Home"},
    {"home.lead",
     "Zehn Städte im Ruhrgebiet öffnen gemeinsam ihre Verwaltungen interkulturell. Sie setzen auf ein "
     "Personalmanagement, das Vielfalt fördert, und machen interkulturelle Kompetenz zu einem "
     "Qualitätsmerkmal.",
     "Ten cities in the Ruhr region open up their administrations interculturally together. They rely "
     "on human resources management that promotes diversity and make intercultural competence a "
     "mark of quality."},
    {"home.goals_heading", "Unsere zwei strategischen Ziele", "Our two strategic goals"},
    {"home.goal_1",
     "Interkulturelle Kompetenz wird ein Kriterium bei der Auswahl und Entwicklung des Personals.",
     "Intercultural competence becomes a criterion in selecting and developing staff."},
    {"home.goal_2",
     "Der Anteil der Beschäftigten mit Einwanderungsgeschichte entspricht mit der Zeit ihrem Anteil "
     "an der Bevölkerung der Stadt.",
     "Over time, the share of employees with an immigration history matches its share in the "
     "city's population."},
    {"home.cities_heading", "Die zehn Mitgliedsstädte", "The ten member cities"},
    {"home.milestones_heading", "Meilensteine", "Milestones"},
    {"home.publications_heading", "Handreichungen und Dokumente", "Handbooks and documents"},
    {"home.more_cities", "Alle Mitgliedsstädte", "All member cities"},
    {"home.more_cooperation", "Mehr über die Kooperation", "More about the cooperation"},

    // Cooperation
    {"cooperation.title", "Die Kooperation", "The cooperation"},
    {"cooperation.contract",
     "Grundlage der Zusammenarbeit ist der Kontrakt „Interkulturelle Städteregion Ruhr“, den sechs "
     "Städte am 28. Mai 2010 in Bochum unterzeichnet haben. Die Städte arbeiten bereits seit 2008 "
     "zusammen.",
     "The basis of the cooperation is the contract \"Interkulturelle Städteregion Ruhr\" (Intercultural "
     "City Region Ruhr), signed by six cities in Bochum on 28 May 2010. The cities have worked "
     "together since 2008."},
    {"cooperation.aim",
     "Die Kooperation will die Verwaltungen interkulturell öffnen: durch ein Personalmanagement, das "
     "auf Vielfalt ausgerichtet ist, und mit interkultureller Kompetenz als Qualitätsmerkmal. Für "
     "ähnliche Entwicklungen in den Städten erarbeitet sie gemeinsame Ideen und Lösungen.",
     "The cooperation aims at the intercultural opening of the administrations: through diversity-"
     "oriented human resources management and with intercultural competence as a mark of quality. "
     "It develops shared ideas and solutions for similar developments in the cities."},
    {"cooperation.how_heading", "So arbeitet die Kooperation", "How the cooperation works"},
    {"cooperation.timeline_heading", "Zeitleiste", "Timeline"},
    {"cooperation.themes_heading", "Thematische Schwerpunkte", "Thematic focuses"},
    {"cooperation.goals_heading", "Handlungsziele", "Action goals"},

    // Cities
    {"cities.title", "Mitgliedsstädte", "Member cities"},
    {"cities.lead", "Zehn Städte gehören heute zur Kooperation. So sind sie beigetreten:",
     "Ten cities belong to the cooperation today. This is how they joined:"},
    {"cities.map_title", "Lage der zehn Mitgliedsstädte im Ruhrgebiet (schematisch)",
     "Location of the ten member cities in the Ruhr region (schematic)"},
    {"cities.map_description",
     "Schematische Karte: Duisburg, Oberhausen und Mülheim an der Ruhr im Westen, Bottrop, "
     "Gelsenkirchen und Essen in der Mitte, Herne und Bochum östlich davon, Dortmund im Osten und "
     "Hagen im Südosten. Die Liste darunter enthält dieselben Angaben.",
     "Schematic map: Duisburg, Oberhausen and Mülheim an der Ruhr in the west, Bottrop, "
     "Gelsenkirchen and Essen in the centre, Herne and Bochum east of them, Dortmund in the east and "
     "Hagen in the south-east. The list below holds the same information."},
    {"cities.membership", "Mitgliedschaft", "Membership"},
    {"cities.status_member", "Mitglied", "Member"},
    {"cities.status_guest", "Gast", "Guest"},
    {"cities.since", "seit {date}", "since {date}"},
    {"cities.until", "bis {date}", "until {date}"},
    {"cities.ki_contact", "Kommunales Integrationszentrum", "Municipal integration centre"},
    {"cities.ki_not_filled", "Die Kontaktdaten trägt die Geschäftsstelle noch ein.",
     "The office has not yet entered the contact details."},
    {"cities.internal_page", "Interne Seite der Stadt", "Internal page of the city"},
    {"cities.internal_note", "Interne Notiz", "Internal note"},
    {"cities.no_internal_note", "Keine interne Notiz.", "No internal note."},
    {"cities.people", "Personen mit Rollen für diese Stadt", "People with roles for this city"},

    // Themes, bodies, publications
    {"themes.title", "Themen und Ziele", "Themes and goals"},
    {"bodies.title", "Gremien", "Bodies"},
    {"bodies.composition", "Zusammensetzung", "Composition"},
    {"bodies.tasks", "Aufgaben", "Tasks"},
    {"publications.title", "Publikationen", "Publications"},
    {"publications.series", "Reihe „{series}“", "Series \"{series}\""},
    {"publications.lead",
     "Die Handreichungen der Reihe „Vielfalt schafft Zukunft“ und weitere Dokumente der Kooperation.",
     "The handbooks of the series \"Vielfalt schafft Zukunft\" and further documents of the "
     "cooperation."},
    {"publications.language", "Sprache: {language}", "Language: {language}"},

    // Sign-in, account
    {"login.title", "Anmelden", "Sign in"},
    {"login.lead", "Für Mitarbeitende der Mitgliedsstädte und der Geschäftsstelle.",
     "For staff of the member cities and of the office."},
    {"login.username", "Benutzername", "User name"},
    {"login.password", "Passwort", "Password"},
    {"login.submit", "Anmelden", "Sign in"},
    {"login.session_expired", "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.",
     "Your session has expired. Please sign in again."},
    {"login.required", "Bitte melden Sie sich an, um diese Seite zu sehen.",
     "Please sign in to see this page."},
    {"logout.done", "Sie haben sich abgemeldet.", "You have signed out."},
    {"area.title", "Mein Bereich", "My area"},
    {"area.welcome", "Willkommen, {name}.", "Welcome, {name}."},
    {"area.roles", "Ihre Rollen", "Your roles"},
    {"area.no_roles", "Ihnen ist noch keine Rolle zugewiesen.", "You have not been given a role yet."},
    {"area.for_city", "für {city}", "for {city}"},
    {"area.for_cooperation", "für die Kooperation", "for the cooperation"},
    {"area.tasks", "Ihre Aufgaben", "Your tasks"},
    {"area.monitoring_city", "Monitoring {city}: Berichte, Dateneingabe und Freigabe",
     "Monitoring {city}: reports, data entry and approval"},
    {"area.import_city", "Daten für {city} aus einer CSV- oder Excel-Datei übernehmen",
     "Import data for {city} from a CSV or Excel file"},
    {"area.monitoring_all", "Monitoring der Städte", "Monitoring of the cities"},
    {"area.indicators", "Indikatoren verwalten", "Manage indicators"},
    {"area.rules", "Prüfregeln verwalten", "Manage validation rules"},
    {"area.editorial", "Inhalte der Website bearbeiten (Redaktion)", "Edit the website's content"},
    {"area.figures", "Veröffentlichte Zahlen ansehen", "See the published figures"},
    {"password.title", "Passwort ändern", "Change password"},
    {"password.current", "Aktuelles Passwort", "Current password"},
    {"password.new", "Neues Passwort", "New password"},
    {"password.new_hint", "Mindestens 12 Zeichen. Ein Satz lässt sich gut merken.",
     "At least 12 characters. A sentence is easy to remember."},
    {"password.repeat", "Neues Passwort wiederholen", "Repeat new password"},
    {"password.submit", "Passwort speichern", "Save password"},
    {"password.changed", "Ihr Passwort wurde geändert.", "Your password has been changed."},
    {"password.mismatch", "Die beiden Passwörter stimmen nicht überein.", "The two passwords do not match."},
    {"invitation.title", "Passwort festlegen", "Set your password"},
    {"invitation.lead", "Legen Sie ein Passwort für das Konto „{username}“ fest.",
     "Set a password for the account \"{username}\"."},
    {"invitation.invalid",
     "Dieser Einladungslink ist ungültig, abgelaufen oder wurde bereits verwendet. Bitte wenden Sie "
     "sich an die Administration.",
     "This invitation link is invalid, has expired or has already been used. Please contact the "
     "administrators."},
    {"invitation.done", "Ihr Passwort ist gespeichert. Sie können sich jetzt anmelden.",
     "Your password has been saved. You can sign in now."},

    // Roles
    {"role.city_entry", "Städtische Erfassung", "City data entry"},
    {"role.city_approval", "Städtische Freigabe", "City approval"},
    {"role.office", "Geschäftsstelle", "Cooperation office"},
    {"role.steering_group", "Regiegruppe", "Steering group"},
    {"role.project_group", "Projektgruppe", "Project group"},
    {"role.admin", "Administration", "Administrator"},

    // Administration
    {"admin.users_title", "Benutzer", "Users"},
    {"admin.new_user", "Neuen Benutzer anlegen", "Create a new user"},
    {"admin.edit_user", "Benutzer bearbeiten", "Edit user"},
    {"admin.display_name", "Name", "Name"},
    {"admin.email", "E-Mail-Adresse", "E-mail address"},
    {"admin.email_hint", "An diese Adresse geht die Einladung, wenn ein Mailserver eingerichtet ist.",
     "The invitation goes to this address when a mail server is configured."},
    {"admin.roles", "Rollen", "Roles"},
    {"admin.roles_hint",
     "Rollen der Städte gelten für genau eine Stadt. Geschäftsstelle und Administration gelten für "
     "die Kooperation.",
     "City roles apply to exactly one city. Office and administrator apply to the cooperation."},
    {"admin.role_city", "Stadt für die Rolle „{role}“", "City for the role \"{role}\""},
    {"admin.no_city", "keine (für die Kooperation)", "none (for the cooperation)"},
    {"admin.active", "Konto ist aktiv", "Account is active"},
    {"admin.status", "Status", "Status"},
    {"admin.status_active", "aktiv", "active"},
    {"admin.status_inactive", "deaktiviert", "deactivated"},
    {"admin.status_invited", "eingeladen", "invited"},
    {"admin.save", "Speichern", "Save"},
    {"admin.create_and_invite", "Anlegen und einladen", "Create and invite"},
    {"admin.invite_again", "Neue Einladung erstellen", "Create a new invitation"},
    {"admin.invitation_link",
     "Einladungslink (7 Tage gültig, nur einmal verwendbar). Geben Sie ihn der Person auf sicherem "
     "Weg weiter:",
     "Invitation link (valid for 7 days, usable once). Pass it on to the person securely:"},
    {"admin.invitation_sent", "Die Einladung wurde per E-Mail an {email} gesendet.",
     "The invitation has been sent by e-mail to {email}."},
    {"admin.invitation_mail_failed",
     "Die E-Mail konnte nicht gesendet werden. Geben Sie den Link bitte selbst weiter:",
     "The e-mail could not be sent. Please pass the link on yourself:"},
    {"admin.saved", "Die Änderungen sind gespeichert.", "The changes have been saved."},
    {"admin.cities_title", "Städte und Mitgliedschaft", "Cities and membership"},
    {"admin.city_name", "Name der Stadt", "Name of the city"},
    {"admin.ki_name", "Name des Kommunalen Integrationszentrums", "Name of the municipal integration centre"},
    {"admin.ki_contact", "Kontakt (Telefon oder E-Mail)", "Contact (phone or e-mail)"},
    {"admin.ki_url", "Internetadresse", "Web address"},
    {"admin.internal_note", "Interne Notiz (nur für die Stadt und die Geschäftsstelle)",
     "Internal note (only for the city and the office)"},
    {"admin.memberships", "Mitgliedschaft", "Membership"},
    {"admin.membership_status", "Art", "Kind"},
    {"admin.membership_since", "Beginn (JJJJ, JJJJ-MM oder JJJJ-MM-TT)", "Start (YYYY, YYYY-MM or YYYY-MM-DD)"},
    {"admin.membership_since_by", "Beginn ist nur als „spätestens“ bekannt",
     "The start is only known as \"at the latest\""},
    {"admin.membership_until", "Ende (leer, wenn andauernd)", "End (empty if ongoing)"},
    {"admin.membership_source", "Quelle", "Source"},
    {"admin.membership_add", "Mitgliedschaftsabschnitt hinzufügen", "Add a membership period"},
    {"admin.membership_remove", "Abschnitt entfernen", "Remove period"},
    {"audit.title", "Protokoll der Änderungen", "Audit log"},
    {"audit.filter", "Filtern", "Filter"},
    {"audit.action", "Aktion", "Action"},
    {"audit.actor", "Wer", "Who"},
    {"audit.entity", "Objekt", "Object"},
    {"audit.when", "Wann", "When"},
    {"audit.from", "Von (Datum)", "From (date)"},
    {"audit.to", "Bis (Datum)", "To (date)"},
    {"audit.before", "Vorher", "Before"},
    {"audit.after", "Nachher", "After"},
    {"audit.empty", "Keine Einträge für diese Auswahl.", "No entries for this selection."},
    {"audit.older", "Ältere Einträge", "Older entries"},
    {"api_tokens.title", "Persönliche API-Schlüssel", "Personal API keys"},
    {"api_tokens.lead",
     "Mit einem API-Schlüssel können Programme in Ihrem Namen auf /api/v1/ zugreifen. Der Schlüssel "
     "wird nur einmal angezeigt.",
     "With an API key, programs can access /api/v1/ on your behalf. The key is shown only once."},
    {"api_tokens.label", "Bezeichnung", "Label"},
    {"api_tokens.create", "Schlüssel erzeugen", "Create key"},
    {"api_tokens.created_at", "Erzeugt (UTC)", "Created (UTC)"},
    {"api_tokens.last_used", "Zuletzt benutzt (UTC)", "Last used (UTC)"},
    {"api_tokens.actions", "Aktion", "Action"},
    {"api_tokens.revoke", "Widerrufen", "Revoke"},
    {"api_tokens.revoke_named", "Schlüssel „{label}“ widerrufen", "Revoke key \"{label}\""},
    {"api_tokens.revoked", "Der Schlüssel ist widerrufen und gilt nicht mehr.", "The key has been revoked and no longer works."},
    {"api_tokens.created", "Ihr neuer Schlüssel (jetzt kopieren, er wird nicht wieder angezeigt):",
     "Your new key (copy it now, it will not be shown again):"},

    // E-mail
    {"invitation.mail_subject", "Ihr Zugang zu Interkommunal", "Your access to Interkommunal"},
    {"invitation.mail_body",
     "Guten Tag {name},\n\nfür Sie wurde ein Konto auf der Plattform der Städtekooperation "
     "Integration.Interkommunal angelegt (Benutzername: {username}).\n\nBitte legen Sie über diesen Link Ihr "
     "Passwort fest. Der Link gilt 7 Tage und nur einmal:\n\n{url}\n\nWenn Sie kein Konto erwartet haben, "
     "können Sie diese Nachricht ignorieren.",
     "Hello {name},\n\nan account has been created for you on the platform of the Städtekooperation "
     "Integration.Interkommunal (user name: {username}).\n\nPlease set your password with this link. It is "
     "valid for 7 days and can be used once:\n\n{url}\n\nIf you did not expect an account, you can ignore "
     "this message."},

    // Form validation and domain messages
    {"form.error_summary", "Bitte korrigieren Sie die markierten Angaben.", "Please correct the marked entries."},
    {"form.required", "Bitte füllen Sie dieses Feld aus.", "Please fill in this field."},
    {"form.too_long", "Diese Angabe ist zu lang.", "This entry is too long."},
    {"form.invalid_date",
     "Bitte geben Sie ein Datum als JJJJ, JJJJ-MM oder JJJJ-MM-TT an (zum Beispiel 2015-09-02).",
     "Please enter a date as YYYY, YYYY-MM or YYYY-MM-DD (for example 2015-09-02)."},
    {"form.invalid_choice", "Bitte wählen Sie einen der angebotenen Werte.", "Please choose one of the offered values."},
    {"form.invalid_url", "Bitte geben Sie eine Adresse beginnend mit https:// an.",
     "Please enter an address starting with https://."},
    {"form.until_before_since", "Das Ende liegt vor dem Beginn.", "The end lies before the start."},
    {"auth.login_failed", "Die Anmeldung ist fehlgeschlagen: Benutzername oder Passwort ist falsch.",
     "Sign-in failed: user name or password is wrong."},
    {"auth.login_throttled",
     "Zu viele fehlgeschlagene Anmeldungen. Bitte warten Sie einige Minuten und versuchen Sie es dann "
     "erneut.",
     "Too many failed sign-ins. Please wait a few minutes and try again."},
    {"auth.password_too_short", "Das Passwort muss mindestens 12 Zeichen lang sein.",
     "The password must be at least 12 characters long."},
    {"auth.password_too_long", "Das Passwort darf höchstens 256 Zeichen lang sein.",
     "The password may be at most 256 characters long."},
    {"auth.password_wrong", "Das aktuelle Passwort ist falsch.", "The current password is wrong."},
    {"auth.username_invalid",
     "Der Benutzername besteht aus 3 bis 64 Kleinbuchstaben, Ziffern, Punkt, Binde- oder Unterstrich.",
     "The user name consists of 3 to 64 lower-case letters, digits, dot, hyphen or underscore."},
    {"auth.username_taken", "Dieser Benutzername ist bereits vergeben.", "This user name is already taken."},
    {"auth.display_name_invalid", "Bitte geben Sie einen Namen mit höchstens 200 Zeichen an.",
     "Please enter a name of at most 200 characters."},
    {"auth.email_invalid", "Bitte geben Sie eine gültige E-Mail-Adresse an.", "Please enter a valid e-mail address."},
    {"auth.role_city_required", "Die Rollen der Städte gelten für eine Stadt: Bitte wählen Sie die Stadt.",
     "City roles apply to one city: please choose the city."},
    {"auth.role_city_not_allowed",
     "Geschäftsstelle und Administration gelten für die Kooperation, nicht für eine einzelne Stadt.",
     "Office and administrator apply to the cooperation, not to a single city."},
    {"auth.role_city_unknown", "Diese Stadt gibt es nicht.", "This city does not exist."},
    {"auth.password_blank", "Das Passwort darf nicht nur aus Leerzeichen bestehen.",
     "The password must not consist of spaces only."},
    {"auth.password_invalid", "Das Passwort enthält ungültige Zeichen.", "The password contains invalid characters."},
    {"auth.token_label_invalid", "Bitte geben Sie eine Bezeichnung mit höchstens 100 Zeichen an.",
     "Please enter a label of at most 100 characters."},
    {"auth.invitation_invalid", "Dieser Einladungslink ist ungültig oder abgelaufen.",
     "This invitation link is invalid or has expired."},
    {"auth.last_admin", "Das letzte aktive Administrationskonto kann nicht entfernt werden.",
     "The last active administrator account cannot be removed."},

    // Disclosure control (tables handed to the suppression planner)
    {"disclosure.invalid_count", "Eine Anzahl ist negativ oder zu groß.", "A count is negative or too large."},
    {"disclosure.unknown_cell", "Eine Beziehung verweist auf eine unbekannte Tabellenzelle.",
     "A relation refers to an unknown table cell."},
    {"disclosure.malformed_relation", "Eine Summenbeziehung der Tabelle ist fehlerhaft.",
     "A sum relation of the table is malformed."},
    {"disclosure.relation_not_additive", "Die Teilwerte ergeben nicht die Summe.", "The parts do not add up to the total."},
    {"disclosure.invalid_dimensions", "Die Gliederung der Tabelle ist fehlerhaft.", "The table's breakdown is malformed."},
    {"disclosure.wrong_cell_count", "Die Zahl der Werte passt nicht zur Tabelle.",
     "The number of values does not fit the table."},
    {"disclosure.invalid_rules", "Die Geheimhaltungsregeln sind ungültig.", "The confidentiality rules are invalid."},
    {"disclosure.time_limit",
     "Die Geheimhaltung konnte nicht in der vorgesehenen Zeit berechnet werden.",
     "Confidentiality could not be computed within the time limit."},

    // Errors
    {"error.title_400", "Ungültige Anfrage", "Bad request"},
    {"error.text_400", "Die Anfrage konnte nicht verarbeitet werden, weil sie fehlerhaft ist.",
     "The request could not be processed because it is malformed."},
    {"error.title_403", "Zugriff verweigert", "Access denied"},
    {"error.text_403", "Sie haben keine Berechtigung für diese Seite oder Aktion.",
     "You do not have permission for this page or action."},
    {"error.text_403_csrf",
     "Das Formular ist abgelaufen oder stammt nicht von dieser Website. Bitte laden Sie die Seite neu "
     "und versuchen Sie es noch einmal.",
     "The form has expired or does not come from this website. Please reload the page and try again."},
    {"error.title_404", "Seite nicht gefunden", "Page not found"},
    {"error.text_404", "Unter dieser Adresse gibt es keine Seite. Vielleicht hilft die Startseite weiter.",
     "There is no page at this address. The home page may help."},
    {"error.title_405", "Methode nicht erlaubt", "Method not allowed"},
    {"error.text_405", "Diese Adresse kann so nicht aufgerufen werden.", "This address cannot be called this way."},
    {"error.title_408", "Zeitüberschreitung", "Request timeout"},
    {"error.text_408", "Die Anfrage hat zu lange gedauert. Bitte versuchen Sie es erneut.",
     "The request took too long. Please try again."},
    {"error.title_413", "Zu große Anfrage", "Request too large"},
    {"error.text_413", "Die gesendeten Daten sind zu groß.", "The data sent is too large."},
    {"error.title_414", "Adresse zu lang", "Address too long"},
    {"error.text_414", "Die aufgerufene Adresse ist zu lang.", "The requested address is too long."},
    {"error.title_431", "Anfrage zu groß", "Request too large"},
    {"error.text_431", "Die Kopfzeilen der Anfrage sind zu groß.", "The request's header fields are too large."},
    {"error.title_500", "Interner Fehler", "Internal error"},
    {"error.text_500",
     "Bei der Verarbeitung ist ein Fehler aufgetreten. Er wurde protokolliert. Bitte versuchen Sie es "
     "später erneut.",
     "An error occurred while processing. It has been logged. Please try again later."},
    {"error.title_503", "Vorübergehend nicht verfügbar", "Temporarily unavailable"},
    {"error.text_503",
     "Die Datenbank ist gerade nicht erreichbar. Bitte versuchen Sie es in einer Minute erneut.",
     "The database cannot be reached right now. Please try again in a minute."},
    {"error.back_home", "Zur Startseite", "To the home page"},
    {"error.reference", "Fehlernummer für Rückfragen: {id}", "Reference for enquiries: {id}"},
    {"error.not_found", "Nicht gefunden.", "Not found."},
    {"error.forbidden", "Keine Berechtigung.", "No permission."},
    {"error.conflict", "Diese Angabe ist bereits vorhanden.", "This entry already exists."},
    {"error.unavailable", "Die Datenbank ist gerade nicht erreichbar.", "The database cannot be reached right now."},
    {"error.internal", "Es ist ein interner Fehler aufgetreten.", "An internal error occurred."},
};

const std::vector<CatalogueEntry>& merged() {
  static const auto all = [] {
    std::vector<CatalogueEntry> entries = kCatalogue;
    for (const auto* part : {&monitoring_messages(), &portal_messages()}) {
      entries.insert(entries.end(), part->begin(), part->end());
    }
    return entries;
  }();
  return all;
}

const std::unordered_map<std::string_view, const CatalogueEntry*>& index() {
  static const auto built = [] {
    std::unordered_map<std::string_view, const CatalogueEntry*> map;
    for (const auto& entry : merged()) map.emplace(entry.key, &entry);
    return map;
  }();
  return built;
}

}  // namespace

std::string_view language_code(Language language) { return language == Language::en ? "en" : "de"; }

std::string_view message(Language language, std::string_view key) {
  const auto& entries = index();
  const auto found = entries.find(key);
  if (found == entries.end()) return key;
  return language == Language::en ? found->second->en : found->second->de;
}

bool has_message(std::string_view key) { return index().contains(key); }

std::string message_with(Language language, std::string_view key,
                         std::initializer_list<std::pair<std::string_view, std::string_view>> values) {
  std::string text(message(language, key));
  for (const auto& [name, value] : values) {
    std::string placeholder(1, '{');
    placeholder.append(name).push_back('}');
    for (auto position = text.find(placeholder); position != std::string::npos;
         position = text.find(placeholder, position + value.size())) {
      text.replace(position, placeholder.size(), value);
    }
  }
  return text;
}

const std::vector<CatalogueEntry>& catalogue() { return merged(); }

}  // namespace ik::web
