package app

import (
	"strings"

	"shoebox/media"
	"shoebox/store"
	"shoebox/timestamp"
)

// SourceUser is the report's timestamp_source of a date a person decided
// (typed, or shifted by a rule they chose).
const SourceUser media.Source = "user"

// KindCorrection is the candidate kind of a decided date in the report.
const KindCorrection media.CandidateKind = "correction"

// applyCorrections gives each record with a decision its decided date, as
// the report and organise see it. The scan's candidates are kept, none of
// them chosen any more, after the decision's own.
func (l *Library) applyCorrections(recs []store.FileRecord) error {
	decided, err := l.decidedDates()
	if err != nil {
		return err
	}
	for i := range recs {
		if _, err := decided.apply(&recs[i]); err != nil {
			return err
		}
	}
	return nil
}

// dateAsShown is the date of r as Files shows it: the neighbours' date seq
// (when there is one and r was analysed), with the person's decision c
// over it (when decided): a decision wins over a guess from neighbours.
func dateAsShown(r *store.FileRecord, seq *timestamp.SequenceCandidate, c store.Correction, decided bool) {
	if seq != nil && r.Status == media.StatusDone {
		applySequence(&r.Time, *seq)
	}
	if decided {
		r.Time = correctedTimestamp(r.Time, c)
	}
}

// correctedTimestamp is t with c's date chosen. A date known to the day or
// the second is HIGH: a person decided it. One known only to the month or
// the year is LOW, so organise files it under Unsorted unless asked,
// rather than on a day nobody knows.
func correctedTimestamp(t media.Timestamp, c store.Correction) media.Timestamp {
	out := media.Timestamp{Value: c.Value, Source: correctionSource(c.Source), Confidence: media.ConfidenceHigh}
	if c.Precision == store.PrecisionYear || c.Precision == store.PrecisionMonth {
		out.Confidence = media.ConfidenceLow
	}
	if v, err := ParseCandidateValue(c.Value); err == nil {
		out.Time, out.ZoneKnown = v.Wall, v.ZoneKnown
	}
	detail := correctionDetail(c)
	out.Candidates = append(out.Candidates, media.Candidate{Kind: KindCorrection, Source: out.Source, Value: c.Value,
		Detail: detail, Chosen: true})
	for _, cand := range t.Candidates {
		if cand.Kind == KindCorrection {
			continue // applied again (Library.Files): one decision, shown once
		}
		cand.Chosen = false
		out.Candidates = append(out.Candidates, cand)
	}
	return out
}

// correctionDetail says in words who decided a date, when, how precisely,
// and what it was before: "decided by you on 2026-12-03 00:05 UTC, to the
// second; was 2021-09-16 19:57:42".
func correctionDetail(c store.Correction) string {
	who := c.DecidedBy
	if who == "person" {
		who = "you"
	}
	detail := "decided by " + who + " on " + c.DecidedAt.UTC().Format("2006-01-02 15:04 UTC") + ", to the " + c.Precision
	if c.Was != "" {
		detail += "; was " + strings.Replace(c.Was, "T", " ", 1)
	}
	return detail
}

// correctionSource is the report's timestamp_source of a decision: user
// for a date typed, shifted or put in a time zone, else the source
// accepted.
func correctionSource(s string) media.Source {
	switch s {
	case store.CorrectionFilename:
		return media.SourceFilename
	case store.CorrectionTakeout:
		return media.SourceSidecar
	}
	return SourceUser
}
