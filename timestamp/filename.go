package timestamp

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"shoebox/datetime"
	"shoebox/media"
)

// File-name dates. namePatterns is the one table of every pattern: camera- and
// app-specific matchers first, generic ones last. The first pattern whose
// expression matches decides; if the digits it captured are not a real
// calendar time (30 February, hour 25) the name gives no date at all, rather
// than letting a looser pattern read something else into it.
//
// Each row carries a real-world example and the value it must give; the
// table test runs every example (TestFilenamePatternTable).
//
// Named groups: Y M D (date), h m s (time), f (fraction digits), ap (AM/PM),
// e (Unix epoch in milliseconds, UTC).

type namePattern struct {
	Name      string
	Example   string
	Want      string // Candidate.Value the example must give
	Messenger bool   // the file came through a messenger: EXIF stripped, mtime = download time
	UTC       bool   // the digits are UTC (the value gets a "Z")
	re        *regexp.Regexp
}

// Boundaries: a date must not be glued to other digits.
const (
	nb = `(?:^|[^0-9])`
	ne = `(?:[^0-9]|$)`
	yy = `(?P<Y>(?:19|20)\d\d)`
)

var namePatterns = []namePattern{
	// --- Phones: Google Pixel (UTC, milliseconds), Android, Samsung, Windows Phone
	{Name: "Pixel", Example: "PXL_20210923_184501123.jpg", Want: "2021-09-23T18:45:01.123Z", UTC: true,
		re: rx(`^PXL_` + yy + `(?P<M>\d\d)(?P<D>\d\d)_(?P<h>\d\d)(?P<m>\d\d)(?P<s>\d\d)(?P<f>\d{3})` + ne)},
	{Name: "Pixel motion photo", Example: "PXL_20210923_184501123.MP.jpg", Want: "2021-09-23T18:45:01.123Z", UTC: true},
	{Name: "Pixel night sight", Example: "PXL_20220115_062233987.NIGHT.jpg", Want: "2022-01-15T06:22:33.987Z", UTC: true},
	{Name: "Pixel portrait/burst", Example: "PXL_20220115_062233987.PORTRAIT-01.COVER.jpg", Want: "2022-01-15T06:22:33.987Z", UTC: true},
	{Name: "Pixel old burst", Example: "00000IMG_00000_BURST20190704153012_COVER.jpg", Want: "2019-07-04T15:30:12",
		re: rx(`BURST` + yy + `(?P<M>\d\d)(?P<D>\d\d)(?P<h>\d\d)(?P<m>\d\d)(?P<s>\d\d)(?P<f>\d{3})?` + ne)},
	{Name: "Android camera", Example: "IMG_20190704_153012.jpg", Want: "2019-07-04T15:30:12",
		re: rx(`^(?:IMG|VID|PANO|MVIMG|PORTRAIT|BURST|TRIM|LMC|NIGHT)_` + yy + `(?P<M>\d\d)(?P<D>\d\d)_(?P<h>\d\d)(?P<m>\d\d)(?P<s>\d\d)(?P<f>\d{3})?` + ne)},
	{Name: "Android camera video", Example: "VID_20200101_000512.mp4", Want: "2020-01-01T00:05:12"},
	{Name: "Android burst", Example: "IMG_20190704_153012_1.jpg", Want: "2019-07-04T15:30:12"},
	{Name: "Android HDR/edit", Example: "IMG_20190704_153012_HDR~2.jpg", Want: "2019-07-04T15:30:12"},
	{Name: "Android motion photo", Example: "MVIMG_20190704_153012.jpg", Want: "2019-07-04T15:30:12"},
	{Name: "Android with ms", Example: "IMG_20230811_091502123.jpg", Want: "2023-08-11T09:15:02.123"},
	{Name: "Samsung camera", Example: "20160812_143022.jpg", Want: "2016-08-12T14:30:22",
		re: rx(`^` + yy + `(?P<M>\d\d)(?P<D>\d\d)_(?P<h>\d\d)(?P<m>\d\d)(?P<s>\d\d)` + ne)},
	{Name: "Samsung burst", Example: "20160812_143022_001.jpg", Want: "2016-08-12T14:30:22"},
	{Name: "Samsung copy", Example: "20160812_143022(0).jpg", Want: "2016-08-12T14:30:22"},
	{Name: "Samsung edit", Example: "20160812_143022-01.jpeg", Want: "2016-08-12T14:30:22"},
	{Name: "OPPO/realme/OnePlus ColorOS", Example: "IMG20190704153012.jpg", Want: "2019-07-04T15:30:12",
		re: rx(`^(?:IMG|VID)` + yy + `(?P<M>\d\d)(?P<D>\d\d)(?P<h>\d\d)(?P<m>\d\d)(?P<s>\d\d)` + ne)},
	{Name: "DJI drone", Example: "DJI_20230813201133_0001_D.JPG", Want: "2023-08-13T20:11:33",
		re: rx(`^DJI_` + yy + `(?P<M>\d\d)(?P<D>\d\d)(?P<h>\d\d)(?P<m>\d\d)(?P<s>\d\d)` + ne)},
	{Name: "Dashcam (Viofo and alike)", Example: "2019_0704_153012_001.MP4", Want: "2019-07-04T15:30:12",
		re: rx(`^` + yy + `_(?P<M>\d\d)(?P<D>\d\d)_(?P<h>\d\d)(?P<m>\d\d)(?P<s>\d\d)` + ne)},
	{Name: "Windows Phone", Example: "WP_20140704_15_30_12_Pro.jpg", Want: "2014-07-04T15:30:12",
		re: rx(`^WP_` + yy + `(?P<M>\d\d)(?P<D>\d\d)_(?P<h>\d\d)_(?P<m>\d\d)_(?P<s>\d\d)` + ne)},
	{Name: "Windows Phone (date only)", Example: "WP_20140704_001.jpg", Want: "2014-07-04",
		re: rx(`^WP_` + yy + `(?P<M>\d\d)(?P<D>\d\d)_\d{3}` + ne)},
	{Name: "Windows Camera app", Example: "WIN_20190704_15_30_12_Pro.jpg", Want: "2019-07-04T15:30:12",
		re: rx(`^WIN_` + yy + `(?P<M>\d\d)(?P<D>\d\d)_(?P<h>\d\d)_(?P<m>\d\d)_(?P<s>\d\d)` + ne)},

	// --- Messengers
	{Name: "WhatsApp (date only)", Example: "IMG-20180312-WA0007.jpg", Want: "2018-03-12", Messenger: true,
		re: rx(`^(?:IMG|VID|AUD|PTT|STK|DOC)-` + yy + `(?P<M>\d\d)(?P<D>\d\d)-WA\d+`)},
	{Name: "WhatsApp video (date only)", Example: "VID-20180312-WA0012.mp4", Want: "2018-03-12", Messenger: true},
	{Name: "WhatsApp export, 12-hour", Example: "WhatsApp Image 2023-01-05 at 9.41.02 AM.jpeg", Want: "2023-01-05T09:41:02", Messenger: true,
		re: rx(`^WhatsApp (?:Image|Video|Audio) ` + yy + `-(?P<M>\d\d)-(?P<D>\d\d) at (?P<h>\d{1,2})\.(?P<m>\d\d)\.(?P<s>\d\d) ?(?P<ap>[AP]M)`)},
	{Name: "WhatsApp export", Example: "WhatsApp Image 2021-05-06 at 14.22.31.jpeg", Want: "2021-05-06T14:22:31", Messenger: true,
		re: rx(`^WhatsApp (?:Image|Video|Audio) ` + yy + `-(?P<M>\d\d)-(?P<D>\d\d) at (?P<h>\d{1,2})\.(?P<m>\d\d)\.(?P<s>\d\d)` + ne)},
	{Name: "WhatsApp export copy", Example: "WhatsApp Image 2021-05-06 at 14.22.31 (1).jpeg", Want: "2021-05-06T14:22:31", Messenger: true},
	{Name: "Signal", Example: "signal-2021-05-06-142231.jpg", Want: "2021-05-06T14:22:31", Messenger: true,
		re: rx(`^signal-` + yy + `-(?P<M>\d\d)-(?P<D>\d\d)-(?P<h>\d\d)-?(?P<m>\d\d)-?(?P<s>\d\d)(?:-(?P<f>\d{3}))?` + ne)},
	{Name: "Signal (newer)", Example: "signal-2022-11-30-18-04-55-123.jpg", Want: "2022-11-30T18:04:55.123", Messenger: true},
	{Name: "Signal numbered", Example: "signal-2021-05-06-142231_002.jpeg", Want: "2021-05-06T14:22:31", Messenger: true},
	{Name: "Telegram", Example: "photo_2021-05-06_14-22-31.jpg", Want: "2021-05-06T14:22:31", Messenger: true,
		re: rx(`^(?:photo|video|file)_` + yy + `-(?P<M>\d\d)-(?P<D>\d\d)_(?P<h>\d\d)-(?P<m>\d\d)-(?P<s>\d\d)` + ne)},
	{Name: "Telegram video", Example: "video_2021-05-06_14-22-31.mp4", Want: "2021-05-06T14:22:31", Messenger: true},
	{Name: "Telegram Desktop", Example: "photo_2023-02-14 21.05.44.jpeg", Want: "2023-02-14T21:05:44", Messenger: true,
		re: rx(`^(?:photo|video)_` + yy + `-(?P<M>\d\d)-(?P<D>\d\d) (?P<h>\d\d)\.(?P<m>\d\d)\.(?P<s>\d\d)` + ne)},
	{Name: "Viber", Example: "viber_image_2019-06-23_14-27-49.jpg", Want: "2019-06-23T14:27:49", Messenger: true,
		re: rx(`^viber_(?:image|video)_` + yy + `-(?P<M>\d\d)-(?P<D>\d\d)_(?P<h>\d\d)-(?P<m>\d\d)-(?P<s>\d\d)(?:-(?P<f>\d{3}))?` + ne)},
	{Name: "KakaoTalk", Example: "KakaoTalk_20190704_153012123.jpg", Want: "2019-07-04T15:30:12.123", Messenger: true,
		re: rx(`^KakaoTalk_(?:Photo_)?` + yy + `(?P<M>\d\d)(?P<D>\d\d)_(?P<h>\d\d)(?P<m>\d\d)(?P<s>\d\d)(?P<f>\d{3})?` + ne)},
	{Name: "Facebook (epoch ms, UTC)", Example: "FB_IMG_1491937645123.jpg", Want: "2017-04-11T19:07:25.123Z", Messenger: true, UTC: true,
		re: rx(`^FB_IMG_(?P<e>1\d{12})` + ne)},
	{Name: "WeChat export (epoch ms, UTC)", Example: "mmexport1491937645123.jpg", Want: "2017-04-11T19:07:25.123Z", Messenger: true, UTC: true,
		re: rx(`^mmexport(?P<e>1\d{12})` + ne)},

	// --- Screenshots and screen recordings
	{Name: "Android screenshot", Example: "Screenshot_20190704-153012.png", Want: "2019-07-04T15:30:12",
		re: rx(`^Screen(?:shot|_Recording)_` + yy + `(?P<M>\d\d)(?P<D>\d\d)[-_](?P<h>\d\d)(?P<m>\d\d)(?P<s>\d\d)` + ne)},
	{Name: "Samsung screenshot", Example: "Screenshot_20190704-153012_Chrome.jpg", Want: "2019-07-04T15:30:12"},
	{Name: "Samsung screen recording", Example: "Screen_Recording_20190704-153012_YouTube.mp4", Want: "2019-07-04T15:30:12"},
	{Name: "KDE Spectacle", Example: "Screenshot_20190704_153012.png", Want: "2019-07-04T15:30:12"},
	{Name: "Android screenshot (old, MIUI)", Example: "Screenshot_2019-07-04-15-30-12-345_com.whatsapp.jpg", Want: "2019-07-04T15:30:12.345",
		re: rx(`^Screenshot_` + yy + `-(?P<M>\d\d)-(?P<D>\d\d)-(?P<h>\d\d)-(?P<m>\d\d)-(?P<s>\d\d)(?:-(?P<f>\d{3}))?` + ne)},
	{Name: "macOS screenshot, 12-hour", Example: "Screen Shot 2019-07-04 at 7.05.09 PM.png", Want: "2019-07-04T19:05:09",
		re: rx(`^Screen ?(?:Shot|shot|Recording) ` + yy + `-(?P<M>\d\d)-(?P<D>\d\d) at (?P<h>\d{1,2})\.(?P<m>\d\d)\.(?P<s>\d\d)[\s\x{202F}]?(?P<ap>[AP]M)`)},
	{Name: "macOS screenshot, 12-hour (Ventura narrow space)", Example: "Screenshot 2023-03-15 at 10.20.30\u202fAM.png", Want: "2023-03-15T10:20:30"},
	{Name: "macOS screenshot, 24-hour", Example: "Screenshot 2021-05-06 at 14.22.31.png", Want: "2021-05-06T14:22:31",
		re: rx(`^Screen ?(?:Shot|shot|Recording) ` + yy + `-(?P<M>\d\d)-(?P<D>\d\d) at (?P<h>\d{1,2})\.(?P<m>\d\d)\.(?P<s>\d\d)` + ne)},
	{Name: "macOS screenshot, older 24-hour", Example: "Screen Shot 2019-07-04 at 19.05.09.png", Want: "2019-07-04T19:05:09"},
	{Name: "macOS screen recording", Example: "Screen Recording 2021-05-06 at 14.22.31.mov", Want: "2021-05-06T14:22:31"},
	{Name: "macOS screenshot, localised", Example: "Bildschirmfoto 2021-05-06 um 14.22.31.png", Want: "2021-05-06T14:22:31",
		re: rx(`^\pL[\pL\s'’]* ` + yy + `-(?P<M>\d\d)-(?P<D>\d\d) \pL{1,3} (?P<h>\d{1,2})\.(?P<m>\d\d)\.(?P<s>\d\d)` + ne)},
	{Name: "macOS screenshot, French", Example: "Capture d’écran 2021-05-06 à 14.22.31.png", Want: "2021-05-06T14:22:31"},
	{Name: "Windows 11 Snipping Tool", Example: "Screenshot 2023-03-15 102030.png", Want: "2023-03-15T10:20:30",
		re: rx(`^Screenshot ` + yy + `-(?P<M>\d\d)-(?P<D>\d\d) (?P<h>\d\d)(?P<m>\d\d)(?P<s>\d\d)` + ne)},
	{Name: "GNOME screenshot", Example: "Screenshot from 2019-07-04 15-30-12.png", Want: "2019-07-04T15:30:12",
		re: rx(`^Screenshot from ` + yy + `-(?P<M>\d\d)-(?P<D>\d\d)[ _](?P<h>\d\d)-(?P<m>\d\d)-(?P<s>\d\d)` + ne)},
	{Name: "GNOME screencast", Example: "Screencast from 2022-05-06 14-22-31.webm", Want: "2022-05-06T14:22:31",
		re: rx(`^Screencast from ` + yy + `-(?P<M>\d\d)-(?P<D>\d\d)[ _](?P<h>\d\d)-(?P<m>\d\d)-(?P<s>\d\d)` + ne)},

	// --- Sync apps
	{Name: "Dropbox camera upload", Example: "2017-08-26 12.59.11.jpg", Want: "2017-08-26T12:59:11",
		re: rx(`^` + yy + `-(?P<M>\d\d)-(?P<D>\d\d) (?P<h>\d\d)\.(?P<m>\d\d)\.(?P<s>\d\d)` + ne)},
	{Name: "Dropbox camera upload, numbered", Example: "2017-08-26 12.59.11-1.jpg", Want: "2017-08-26T12:59:11"},

	// --- Generic forms, last
	{Name: "ISO-like date and time", Example: "2019-07-04_15-30-12.jpg", Want: "2019-07-04T15:30:12",
		re: rx(nb + yy + `-(?P<M>\d\d)-(?P<D>\d\d)[ _T.-](?P<h>\d\d)[-.:_h](?P<m>\d\d)[-.:_m](?P<s>\d\d)` + ne)},
	{Name: "ISO-like with T and colons", Example: "export 2019-07-04T15:30:12.jpg", Want: "2019-07-04T15:30:12"},
	{Name: "OBS recording", Example: "2021-05-06 14-22-31.mkv", Want: "2021-05-06T14:22:31"},
	{Name: "Xbox Game Bar", Example: "Minecraft 2021-05-06 14-22-31.mp4", Want: "2021-05-06T14:22:31"},
	{Name: "ShareX", Example: "chrome_2019-07-04_15-30-12.png", Want: "2019-07-04T15:30:12"},
	{Name: "Greenshot", Example: "2019-07-04 15_30_12-Untitled.png", Want: "2019-07-04T15:30:12"},
	{Name: "compact date_time", Example: "scan_20190704-153012.jpg", Want: "2019-07-04T15:30:12",
		re: rx(nb + yy + `(?P<M>\d\d)(?P<D>\d\d)[_T-](?P<h>\d\d)(?P<m>\d\d)(?P<s>\d\d)` + ne)},
	{Name: "compact 14 digits (Steam, many apps)", Example: "20190704153012_1.jpg", Want: "2019-07-04T15:30:12",
		re: rx(nb + yy + `(?P<M>\d\d)(?P<D>\d\d)(?P<h>\d\d)(?P<m>\d\d)(?P<s>\d\d)` + ne)},
	{Name: "ISO date", Example: "2019-07-04 Picnic.jpg", Want: "2019-07-04",
		re: rx(nb + yy + `[-_.](?P<M>\d\d)[-_.](?P<D>\d\d)` + ne)},
	{Name: "compact date", Example: "IMG_20190704.jpg", Want: "2019-07-04",
		re: rx(`(?:^|[^0-9A-Za-z])` + yy + `(?P<M>\d\d)(?P<D>\d\d)` + ne)},
	// Android apps (Instagram, Telegram X, browsers' image saves) name files by
	// System.currentTimeMillis(). A 13-digit number starting with 1 spans
	// 2001-2033; validation rejects the ones in the future, and a stronger
	// source (EXIF) still wins when there is one.
	{Name: "bare epoch milliseconds (Android apps, UTC)", Example: "1491937645123.jpg", Want: "2017-04-11T19:07:25.123Z", UTC: true,
		re: rx(`^(?P<e>1\d{12})` + ne)},
	{Name: "bare epoch milliseconds, copy", Example: "1525426241555 - Copy.jpg", Want: "2018-05-04T09:30:41.555Z", UTC: true},
}

// copyPrefix is what Windows, Google Drive and messengers put in front of a
// name when they copy a file; patterns anchored at the start of the name
// must still see the original name.
var copyPrefix = regexp.MustCompile(`(?i)^(?:copy of |copy \(\d+\) of |kopie van |kopie von )+`)

func rx(s string) *regexp.Regexp { return regexp.MustCompile(`(?i)` + s) }

func init() {
	// A row without an expression is another example of the row above it.
	var last *regexp.Regexp
	for i := range namePatterns {
		if namePatterns[i].re == nil {
			namePatterns[i].re = last
		}
		last = namePatterns[i].re
	}
}

// parseFilenameTime returns the best date in a base file name, as a candidate
// of kind filename_datetime or filename_date, and whether one was found.
func parseFilenameTime(name string) (media.Candidate, bool) {
	c, p, ok := parseFilename(name)
	if !ok {
		return media.Candidate{}, false
	}
	return nameCandidate(name, c, p), true
}

// nameCandidate is the candidate of the date c that pattern p found in name.
func nameCandidate(name string, c datetime.Civil, p *namePattern) media.Candidate {
	kind := media.KindFilenameTime
	if c.Prec != datetime.PrecTime {
		kind = media.KindFilenameDate
	}
	return media.Candidate{Kind: kind, Source: media.SourceFilename, Value: c.String(),
		Detail: fmt.Sprintf("file name %q matches the %s pattern", name, p.Name)}
}

// parseFilename finds the first pattern whose expression matches and returns
// its calendar-checked value.
func parseFilename(name string) (datetime.Civil, *namePattern, bool) {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = copyPrefix.ReplaceAllString(name, "")
	for i := range namePatterns {
		p := &namePatterns[i]
		if i > 0 && p.re == namePatterns[i-1].re {
			continue // same expression as the row above
		}
		m := p.re.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		c, ok := p.value(m)
		if !ok || !c.CalendarOK() {
			return datetime.Civil{}, nil, false
		}
		return c, p, true
	}
	return datetime.Civil{}, nil, false
}

// value builds the civil time from a match of p.
func (p *namePattern) value(m []string) (datetime.Civil, bool) {
	g := func(name string) string {
		if i := p.re.SubexpIndex(name); i >= 0 {
			return m[i]
		}
		return ""
	}
	if e := g("e"); e != "" {
		ms, err := strconv.ParseInt(e, 10, 64)
		if err != nil {
			return datetime.Civil{}, false
		}
		return datetime.FromTime(time.UnixMilli(ms).UTC(), true), true
	}
	c := datetime.Civil{Year: datetime.Atoi(g("Y")), Month: datetime.Atoi(g("M")), Day: datetime.Atoi(g("D")), Prec: datetime.PrecDate}
	if h := g("h"); h != "" {
		c.Hour, c.Min, c.Sec, c.Prec = datetime.Atoi(h), datetime.Atoi(g("m")), datetime.Atoi(g("s")), datetime.PrecTime
		c.Frac = g("f")
		switch strings.ToUpper(g("ap")) {
		case "AM":
			if c.Hour < 1 || c.Hour > 12 {
				return datetime.Civil{}, false
			}
			if c.Hour == 12 {
				c.Hour = 0
			}
		case "PM":
			if c.Hour < 1 || c.Hour > 12 {
				return datetime.Civil{}, false
			}
			if c.Hour != 12 {
				c.Hour += 12
			}
		}
		c.ZoneKnown = p.UTC
	}
	return c, true
}
