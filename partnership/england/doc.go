// Package england builds a partnership.Dataset from the data that the
// Department for Education (DfE) and Ofsted publish about the schools of
// England, and carries a real regional subset of it, so that Fulcrum works
// on real schools with no download.
//
// Load reads every file in a directory, recognising each extract by its
// header (never by its file name or column order), and joins them by URN,
// the unique reference number that Get Information about Schools (GIAS)
// gives every establishment. LoadEmbedded does the same with the
// Yorkshire and the Humber subset built into the package.
//
// What the published data shows of partnerships is their governance: the
// trusts, federations and sponsors schools belong to, and the schools each
// local authority maintains. Alliances, teaching school hubs, learning
// communities, connector organisations and communities of practice are not
// published; a deployment adds them as networks over the same schools (as
// examples/connected does), and package partnership/analysis measures what
// they add.
//
// # The extracts
//
// GIAS groups (allgroupsdata; header with "Group UID" and "Group Type" or
// "Group Type (code)", no "URN"): one row per group, that is a
// multi-academy trust (MAT), single-academy trust (SAT), federation,
// foundation trust, umbrella trust, academy sponsor, or children's centres
// group or collaboration. Each becomes a partnership.Organisation and a
// partnership.Network, both with ID "gias:" and the group UID; the
// network's Coordinator is the organisation, its Basis governance, its Kind
// trust (MAT, SAT), federation, sponsorship or other; Ref is the Group ID
// ("TR01234") or else the Companies House number; Active runs from the open
// date to the closed date.
//
// GIAS group links (alllinksdata; "URN" and "Group UID"): one row per
// establishment–group membership, the partnership graph. A row about a
// school becomes a partnership.Membership (ID "gias:<UID>:<URN>", role
// member) from the Joined date to the group's closure. The row's own group
// columns stand in for a group missing from the groups extract.
//
// GIAS groups and group links are also read in the layout DfE's own
// historical GIAS reader maps: groups "UID", "Group Name", "Group Type",
// "Status", "Closed Date" (layout gias-groups-uid) and links "URN",
// "Linked UID", "Group Type" (gias-grouplinks-linked-uid), which have no
// group ID, open date or joined date.
//
// GIAS establishment links (links_edubasealldata; "URN", "LinkURN",
// "LinkType"): predecessor and successor links between URNs, made when a
// school converts to an academy, amalgamates or merges. A school's
// Predecessors are every URN it replaced, following chains of links
// (nearest first, then most recent), so partnership.Model.Inspections gives
// a converter academy the inspections of the school it replaced. Links of
// other types ("Sixth Form Centre Link", "Result of Amalgamation" and the
// "Merged - ..." types, which GIAS writes both ways round) are not read as
// succession.
//
// School census (Schools, pupils and their characteristics, school-level
// underlying data; "urn" and "phase_type_grouping", or before
// explore-education-statistics (2017/18, 2018/19) "URN" and "Phase-type
// grouping" with "School Name", "LA number", "Region", "Urban / Rural",
// "headcount of pupils" and "% of pupils known to be eligible for free
// school meals"): one row per school,
// state-funded and independent. Each row is a partnership.School: name,
// phase (from phase_type_grouping, refined by the middle-school and
// all-through flags and the 16 to 19 establishment types; a middle
// school's deemed phase from middle_school, "Middle deemed primary" or
// "Middle deemed secondary", any other "Middle deemed" value refused),
// establishment
// type and governance (typeofestablishment_name, through
// partnership.GovernanceOfType), local authority (old_la_code and la_name),
// region, postcode, rural-urban class (without its "(England/Wales) "
// prefix), headcount, the percentage of pupils known to be eligible for
// free school meals, trust name and open date. Where a row also gives the
// count the percentage is computed from ("number of pupils known to be
// eligible for free school meals"), the percentage is checked against it:
// it must be the count over the headcount (up to 2012/13, over "number of
// pupils (used for FSM calculation)" when the file has that column) to
// the publisher's one decimal place, and the count may not exceed the
// headcount; a suppressed or blank value is unknown and checks nothing.
// A disagreement is a row error giving both values, which also catches a
// column of fractions (0.277 for 27.7%) however few its rows. The
// performance-tables FSM columns of the same file are not read. The
// census is the list of schools: rows of other extracts about URNs it
// lacks are counted, not loaded. Each local authority in it becomes an Organisation "la:<code>"
// and a NetworkLocalAuthority network of the schools it maintains.
//
// Performance tables census (england_census.csv of the school performance
// tables; "URN", "NOR" and "SCHOOLTYPE" or "NUMFSM", the layout of
// 2024/25 and earlier years: URN, LA, ESTAB, SCHOOLTYPE, NOR, ..., NUMFSM,
// NUMFSMEVER, NORFSMEVER, PNUMFSMEVER): read as the census too. It gives
// the URN, LA code, establishment type, pupils on roll (NOR) and the
// percentage known to be eligible for free school meals, computed as
// NUMFSM / NOR (a NUMFSM above NOR is a row error). Only those five
// columns are read: no percentage column is (PNUMFSMEVER, eligible at any
// time in six years, is another measure, and its fractions or
// percentages change nothing). It has no names, phases or regions: they
// come from GIAS edubasealldata or the group links when loaded beside it;
// a school named nowhere is named "URN <number>", with a warning saying
// how many.
//
// GIAS establishments (edubasealldata; "URN", "EstablishmentName",
// "TypeOfEstablishment (name)"): with a census, it completes the census's
// schools (name, phase, type, region, postcode, dates) where the census is
// silent; without one, its open schools (status "Open" or "Open, but
// proposed to close"; type group local authority maintained, academies,
// free schools, independent or special schools) are the schools, with
// NumberOfPupils and PercentageFSM. Its other rows are unmatched.
//
// Inspection outcomes ("URN" with "Rating" and "Inspection Date", or
// Ofsted's monthly management information: "Inspection start date" with
// "Overall effectiveness", key judgements or report-card grades; "Latest
// OEIF" and "Previous" columns likewise): each inspection a row gives
// becomes a partnership.Inspection. Ratings are read by
// partnership.ParseRating, so the pre-2012 "Satisfactory" counts as
// requires improvement and grades 1 to 4 are read as numbers; "NULL", "9",
// "Not judged" and empty mean no judgement. Beside the overall rating, or
// without one (graded inspections from September 2024 have none), the key
// judgements published are read: "Quality of education", "Behaviour and
// attitudes", "Personal development", "Effectiveness of leadership and
// management", "Early years provision (where applicable)", "Sixth form
// provision (where applicable)", with "Safeguarding is effective?" (Yes or
// No); the same names prefixed "Latest OEIF " (dated by "Inspection start
// date of latest OEIF graded inspection") or "Previous ". A row read as key
// judgements without an overall rating is counted in
// File.KeyJudgementsOnly; no overall rating is ever derived. Report cards
// (from November 2025) are read from the evaluation areas as the renewed
// framework names them: "Inclusion", "Curriculum and teaching",
// "Achievement", "Attendance and behaviour", "Personal development and
// well-being", "Leadership and governance", "Early years", "Post-16
// provision" (or "Sixth form"), each graded "Exceptional", "Strong
// standard", "Expected standard", "Needs attention" or "Urgent
// improvement", and "Safeguarding" "Met" or "Not met"; such rows are
// counted in File.ReportCards. Ofsted's own column names for report cards
// could not be confirmed when this was written, so the loader guards the
// guess: a report-card grade in any column it does not read (a renamed
// area) fails the row naming the column, a grade that is a number or on
// another scale is an error, and a file whose only grade columns are
// unknown is refused as not an extract. A row with neither an overall
// rating, a key judgement nor a grade (an ungraded inspection, even with a
// safeguarding outcome) is counted as ignored.
// Inspections are kept for schools and for the URNs they replaced.
//
// Coordinates ("URN" with "LAT"/"Latitude" and "LON"/"Longitude"): set
// School.Location. Latitude and longitude come together: one blank is an
// error, both blank an ignored row (location unknown). A point outside
// England's bounding box (latitude 49.8 to 55.9, longitude -6.5 to 1.8) is
// an error, whether (0, 0), swapped columns (the message says so) or a
// school abroad: a coordinates file covering more than England fails.
//
// # Every file used or refused
//
// Every file in the directory is read, except hidden files and
// documentation (a name ending ".md" or starting "README", "LICENCE" or
// "LICENSE"), which Result.Files lists with a Note. A file that is not an
// extract (its header matches none above), is empty, is not text, repeats a
// header name, or is cut short by a limit, is refused: Load fails with an
// error naming it, showing the start of its header and listing the extracts
// it knows with the columns each needs. Under Options.Lenient the refusal
// is listed in Result.Skipped instead. A load that yields no school fails,
// naming the census and where it is published. Result.Require lets a caller
// insist on the extracts it needs (fulcrum network stats needs the group
// links), naming each one missing and where it is published.
//
// # Duplicates
//
// A row that repeats a record read before (the same school, group, group
// link, inspection of a URN on a date, or coordinates) with the same
// values once parsed (so "Satisfactory" and "Requires improvement" on one
// day are one judgement) is merged into it and counted in
// File.Duplicate. Two records of one inspection also agree when one gives
// part of what the other gives (an extract listing a graded inspection's
// overall rating alone, another its key judgements too): the record kept
// has both. One with different values is an error (or, under
// Options.Lenient, skipped and listed) naming both places.
//
// # Layouts and encodings
//
// Load reads both the files as GIAS, DfE and Ofsted publish them and the
// copies that went through pandas, R or Excel (such as those in
// shared/data/raw), through package internal/csvx: Windows-1252, UTF-8 or
// UTF-16 (Excel's "Unicode text", tab-separated), with or without a
// byte-order mark, streamed with the size of a file capped at 1 GiB and a
// record at 1 MiB while reading; rows with fewer fields than the header
// (their missing trailing fields read as empty); dates as DD-MM-YYYY, DD/MM/YYYY, YYYY-MM-DD (with or without a time)
// or YYYYMMDD, GIAS's 01-01-1900 meaning "not recorded"; codes with or
// without leading zeros ("06" or "6"); numbers as R writes them ("1e+05");
// the statistics' suppression symbols (z, x, c, u, k, low, ":") as
// unknown; an unnamed pandas index column or none; CRLF or LF line ends.
// (A file whose first 64 KiB are valid UTF-8 is read as UTF-8, a byte
// further on that is not UTF-8 as Windows-1252; see package csvx.)
// Header names are matched without regard to case, spaces or underscores.
// A gzip-compressed file is recognised by its content and decompressed.
//
// A school source without its pupil-count or FSM column (under any name
// Load knows) still loads, with a warning naming the file and the column:
// every school's figure is then unknown, never zero.
//
// Where the data contradicts itself, Load keeps the row, adjusts the value
// and says so in Result.Warnings: a group that closed on or before the day
// it opened loses its open date; a school that joined a group on or after
// it closed loses its joined date.
//
// # Counts
//
// Result.Files says, for every file, how many rows it had and what became
// of each: used, unmatched (about an establishment that is not a school of
// the census: a children's centre, a closed school, a school outside the
// data's area), ignored (nothing to load) or skipped (bad, under
// Options.Lenient). Nothing is dropped without being counted.
// Result.Stats computes the headline counts of "fulcrum network stats",
// each defined on the extracts so that it can be checked by hand.
//
// # Errors
//
// A bad row (a value that does not parse, a wrong number of fields, a URN
// or group that appears twice, a census FSM percentage that disagrees with
// its counts) is a *RowError giving the file, the line,
// the 1-based column and its header name; it matches
// partnership.ErrInvalid, and a duplicate also partnership.ErrConflict.
// Load reads every file before failing and returns all bad rows together
// as an ErrorList sorted by file, line and column. Under Options.Lenient
// it skips them instead, listing them in Result.Skipped. Load never panics
// on any input.
//
// # Concurrency
//
// Load parses files concurrently (Options.Concurrency, GOMAXPROCS by
// default) and is safe to call from many goroutines. A Result is plain
// data: it may be read concurrently but not changed while read.
//
// # Embedded data and licence
//
// The embedded subset (data/*.csv.gz, about 300 KB) holds, in the same
// layouts as shared/data/raw, the 2,388 schools of Yorkshire and the Humber
// in the January 2023 census (only the columns Load reads), the GIAS group
// links (July 2022) of those schools and of the region's local
// authorities, the groups they name, the predecessor links reaching the
// schools, and the Ofsted judgements and coordinates of the schools and
// their predecessors. internal/gensubset regenerates it ("go generate" in
// this directory, with shared/data/raw beside the module).
//
// The data is Crown copyright, published by DfE and Ofsted under the Open
// Government Licence v3.0: "Contains public sector information licensed
// under the Open Government Licence v3.0." The coordinates come from
// postcodes through the ONS Postcode Directory: "Contains OS data © Crown
// copyright and database right; Contains Royal Mail data © Royal Mail
// copyright and database right; Source: Office for National Statistics
// licensed under the Open Government Licence v3.0." Attribution holds the
// full text, which must accompany the data and anything published from it.
package england
