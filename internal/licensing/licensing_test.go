package licensing

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Verdicts the rows below expect.
var (
	readyUser      = Verdict{Kind: KindUser, Ready: true, Missing: Keys{}, Notes: Keys{NoteAudioConferencing}}
	readyNoAudio   = Verdict{Kind: KindUser, Ready: true, Missing: Keys{}, Notes: Keys{NoteNoAudioConferencing}}
	needsPhone     = Verdict{Kind: KindUser, Missing: Keys{MissingTeamsPhone}, Notes: Keys{NoteNoAudioConferencing}}
	needsTeams     = Verdict{Kind: KindUser, Missing: Keys{MissingTeams}, Notes: Keys{NoteAudioConferencing}}
	needsBoth      = Verdict{Kind: KindUser, Missing: Keys{MissingTeams, MissingTeamsPhone}, Notes: Keys{NoteNoAudioConferencing}}
	needsBothAudio = Verdict{Kind: KindUser, Missing: Keys{MissingTeams, MissingTeamsPhone}, Notes: Keys{NoteAudioConferencing}}
	callingPlan    = Verdict{Kind: KindUser, Missing: Keys{MissingTeams, MissingTeamsPhone, MissingRemoveCallingPlan}, Notes: Keys{NoteNoAudioConferencing}}
	readyPhoneOnly = Verdict{Kind: KindUser, Missing: Keys{MissingTeams}, Notes: Keys{NoteNoAudioConferencing}}
	readyDevice    = Verdict{Kind: KindDevice, Ready: true, Missing: Keys{}, Notes: Keys{}}
	deviceNoPhone  = Verdict{Kind: KindDevice, Missing: Keys{MissingTeamsPhone}, Notes: Keys{}}
	readyResource  = Verdict{Kind: KindResource, Ready: true, Missing: Keys{}, Notes: Keys{}}
)

// checkRows hold Check to the requirements, one licence of the table (by
// name and by SKU) per row, then the combinations a tenant has.
var checkRows = []struct {
	name     string
	licences []string
	want     Verdict
}{
	{"Microsoft 365 E5", []string{"Microsoft 365 E5"}, readyUser},
	{"SPE_E5", []string{"SPE_E5"}, readyUser},
	{"Microsoft 365 E5 without audio conferencing", []string{"Microsoft 365 E5 without Audio Conferencing"}, readyNoAudio},
	{"SPE_E5_NOPSTNCONF", []string{"SPE_E5_NOPSTNCONF"}, readyNoAudio},
	{"Office 365 E5", []string{"Office 365 E5"}, readyUser},
	{"ENTERPRISEPREMIUM", []string{"ENTERPRISEPREMIUM"}, readyUser},
	{"Office 365 E5 without audio conferencing", []string{"Office 365 E5 without Audio Conferencing"}, readyNoAudio},
	{"ENTERPRISEPREMIUM_NOPSTNCONF", []string{"ENTERPRISEPREMIUM_NOPSTNCONF"}, readyNoAudio},
	{"E5 developer", []string{"Microsoft 365 E5 Developer (without Windows and Audio Conferencing)"}, readyNoAudio},
	{"DEVELOPERPACK_E5", []string{"DEVELOPERPACK_E5"}, readyNoAudio},
	{"Microsoft 365 A5 faculty", []string{"Microsoft 365 A5 for faculty"}, readyUser},
	{"M365EDU_A5_FACULTY", []string{"M365EDU_A5_FACULTY"}, readyUser},
	{"Microsoft 365 A5 students", []string{"Microsoft 365 A5 for students"}, readyUser},
	{"M365EDU_A5_STUDENT", []string{"M365EDU_A5_STUDENT"}, readyUser},
	{"Office 365 A5 faculty", []string{"Office 365 A5 for faculty"}, readyUser},
	{"ENTERPRISEPREMIUM_FACULTY", []string{"ENTERPRISEPREMIUM_FACULTY"}, readyUser},
	{"Office 365 A5 students", []string{"Office 365 A5 for students"}, readyUser},
	{"ENTERPRISEPREMIUM_STUDENT", []string{"ENTERPRISEPREMIUM_STUDENT"}, readyUser},
	{"Microsoft 365 E5 without Teams", []string{"Microsoft 365 E5 (no Teams)"}, needsTeams},
	{"Microsoft 365 E5 without Teams by SKU", []string{"Microsoft_365_E5_(no_Teams)"}, needsTeams},
	{"Office 365 E5 without Teams", []string{"Office 365 E5 (no Teams)"}, needsTeams},
	{"E5 without Teams and the Teams add-on", []string{"Microsoft 365 E5 (no Teams)", "Microsoft Teams Enterprise"}, readyUser},

	{"Microsoft 365 E3", []string{"Microsoft 365 E3"}, needsPhone},
	{"SPE_E3", []string{"SPE_E3"}, needsPhone},
	{"Office 365 E3", []string{"Office 365 E3"}, needsPhone},
	{"ENTERPRISEPACK", []string{"ENTERPRISEPACK"}, needsPhone},
	{"Office 365 E1", []string{"Office 365 E1"}, needsPhone},
	{"STANDARDPACK", []string{"STANDARDPACK"}, needsPhone},
	{"Microsoft 365 F1", []string{"Microsoft 365 F1"}, needsPhone},
	{"M365_F1", []string{"M365_F1"}, needsPhone},
	{"Microsoft 365 F3", []string{"Microsoft 365 F3"}, needsPhone},
	{"SPE_F1", []string{"SPE_F1"}, needsPhone},
	{"Office 365 F3", []string{"Office 365 F3"}, needsPhone},
	{"DESKLESSPACK", []string{"DESKLESSPACK"}, needsPhone},
	{"Microsoft 365 A1", []string{"Microsoft 365 A1"}, needsPhone},
	{"M365EDU_A1", []string{"M365EDU_A1"}, needsPhone},
	{"Microsoft 365 A3 faculty", []string{"Microsoft 365 A3 for faculty"}, needsPhone},
	{"M365EDU_A3_FACULTY", []string{"M365EDU_A3_FACULTY"}, needsPhone},
	{"Microsoft 365 A3 students", []string{"Microsoft 365 A3 for students"}, needsPhone},
	{"M365EDU_A3_STUDENT", []string{"M365EDU_A3_STUDENT"}, needsPhone},
	{"Office 365 A1 faculty", []string{"Office 365 A1 for faculty"}, needsPhone},
	{"STANDARDWOFFPACK_FACULTY", []string{"STANDARDWOFFPACK_FACULTY"}, needsPhone},
	{"Office 365 A1 students", []string{"Office 365 A1 for students"}, needsPhone},
	{"STANDARDWOFFPACK_STUDENT", []string{"STANDARDWOFFPACK_STUDENT"}, needsPhone},
	{"Office 365 A3 faculty", []string{"Office 365 A3 for faculty"}, needsPhone},
	{"ENTERPRISEPACKPLUS_FACULTY", []string{"ENTERPRISEPACKPLUS_FACULTY"}, needsPhone},
	{"Office 365 A3 students", []string{"Office 365 A3 for students"}, needsPhone},
	{"ENTERPRISEPACKPLUS_STUDENT", []string{"ENTERPRISEPACKPLUS_STUDENT"}, needsPhone},
	{"Business Basic", []string{"Microsoft 365 Business Basic"}, needsPhone},
	{"O365_BUSINESS_ESSENTIALS", []string{"O365_BUSINESS_ESSENTIALS"}, needsPhone},
	{"Business Standard", []string{"Microsoft 365 Business Standard"}, needsPhone},
	{"O365_BUSINESS_PREMIUM", []string{"O365_BUSINESS_PREMIUM"}, needsPhone},
	{"Business Premium", []string{"Microsoft 365 Business Premium"}, needsPhone},
	{"SPB", []string{"SPB"}, needsPhone},
	{"Teams Enterprise", []string{"Microsoft Teams Enterprise"}, needsPhone},
	{"Microsoft_Teams_Enterprise_New", []string{"Microsoft_Teams_Enterprise_New"}, needsPhone},
	{"Microsoft 365 E3 without Teams", []string{"Microsoft 365 E3 (no Teams)"}, needsBoth},
	{"Office 365 E3 without Teams", []string{"Office 365 E3 (no Teams)"}, needsBoth},

	{"Teams Phone Standard alone", []string{"Microsoft Teams Phone Standard"}, readyPhoneOnly},
	{"Phone System, its former name", []string{"Microsoft 365 Phone System"}, readyPhoneOnly},
	{"MCOEV", []string{"MCOEV"}, readyPhoneOnly},
	{"E3 with Teams Phone", []string{"Office 365 E3", "Microsoft Teams Phone Standard"}, readyNoAudio},
	{"A3 with Teams Phone for faculty", []string{"Microsoft 365 A3 for faculty", "Microsoft Teams Phone Standard for Faculty"}, readyNoAudio},
	{"MCOEV_FACULTY", []string{"M365EDU_A3_FACULTY", "MCOEV_FACULTY"}, readyNoAudio},
	{"A1 with Teams Phone for students", []string{"Office 365 A1 for students", "Microsoft Teams Phone Standard for Students"}, readyNoAudio},
	{"MCOEV_STUDENT", []string{"STANDARDWOFFPACK_STUDENT", "MCOEV_STUDENT"}, readyNoAudio},
	{"Business Voice without calling plan", []string{"Microsoft 365 Business Standard", "Microsoft 365 Business Voice (without calling plan)"}, readyUser},
	{"BUSINESS_VOICE_DIRECTROUTING", []string{"O365_BUSINESS_PREMIUM", "BUSINESS_VOICE_DIRECTROUTING"}, readyUser},
	{"Business Voice without calling plan, for a country", []string{"SPB", "Microsoft 365 Business Voice (without Calling Plan) for US"}, readyUser},

	{"domestic calling plan", []string{"Microsoft Teams Domestic Calling Plan"}, callingPlan},
	{"domestic calling plan, 365 name", []string{"Microsoft 365 Domestic Calling Plan"}, callingPlan},
	{"domestic calling plan of 120 minutes", []string{"Microsoft 365 Domestic Calling Plan (120 Minutes)"}, callingPlan},
	{"domestic calling plan, Skype name", []string{"Skype for Business PSTN Domestic Calling"}, callingPlan},
	{"MCOPSTN1", []string{"MCOPSTN1"}, callingPlan},
	{"MCOPSTN5", []string{"MCOPSTN5"}, callingPlan},
	{"international calling plan", []string{"Microsoft Teams Domestic and International Calling Plan"}, callingPlan},
	{"international calling plan, Skype name", []string{"Skype for Business PSTN Domestic and International Calling"}, callingPlan},
	{"MCOPSTN2", []string{"MCOPSTN2"}, callingPlan},
	{"pay-as-you-go calling plan", []string{"Microsoft Teams Calling Plan pay-as-you-go"}, callingPlan},
	{"pay-as-you-go calling plan of a zone", []string{"Microsoft Teams Calling Plan pay-as-you-go (country zone 1 - US)"}, callingPlan},
	{"Teams Phone with Calling Plan", []string{"Teams Phone with Calling Plan"}, callingPlan},
	{"Teams Phone with Calling Plan of a zone", []string{"Teams Phone with Calling Plan (Country Zone1 -US)"}, callingPlan},
	{"Teams Phone with Calling Plan, Microsoft name", []string{"Microsoft Teams Phone with Calling Plan"}, callingPlan},
	{"MCOTEAMS_ESSENTIALS", []string{"MCOTEAMS_ESSENTIALS"}, callingPlan},
	{"Business Voice", []string{"Microsoft 365 Business Voice"}, callingPlan},
	{"Business Voice US", []string{"Microsoft 365 Business Voice (US)"}, callingPlan},
	{"BUSINESS_VOICE_MED2", []string{"BUSINESS_VOICE_MED2"}, callingPlan},
	{"BUSINESS_VOICE_MED2_TELCO", []string{"BUSINESS_VOICE_MED2_TELCO"}, callingPlan},
	{"E5 with a calling plan", []string{"Microsoft 365 E5", "Microsoft Teams Domestic Calling Plan"},
		Verdict{Kind: KindUser, Missing: Keys{MissingRemoveCallingPlan}, Notes: Keys{NoteAudioConferencing}}},
	{"E3 with Teams Phone and a calling plan", []string{"ENTERPRISEPACK", "MCOEV", "MCOPSTN1"},
		Verdict{Kind: KindUser, Missing: Keys{MissingRemoveCallingPlan}, Notes: Keys{NoteNoAudioConferencing}}},
	{"Business Basic with Teams Phone with Calling Plan", []string{"Microsoft 365 Business Basic", "Teams Phone with Calling Plan (country zone 1 - US)"},
		Verdict{Kind: KindUser, Missing: Keys{MissingTeamsPhone, MissingRemoveCallingPlan}, Notes: Keys{NoteNoAudioConferencing}}},

	{"shared devices", []string{"Microsoft Teams Shared Devices"}, readyDevice},
	{"common area phone, former name", []string{"Common Area Phone"}, readyDevice},
	{"MCOCAP", []string{"MCOCAP"}, readyDevice},
	{"shared device with a calling plan", []string{"MCOCAP", "MCOPSTN1"},
		Verdict{Kind: KindDevice, Missing: Keys{MissingRemoveCallingPlan}, Notes: Keys{}}},
	{"Teams Rooms Pro", []string{"Microsoft Teams Rooms Pro"}, readyDevice},
	{"Microsoft_Teams_Rooms_Pro", []string{"Microsoft_Teams_Rooms_Pro"}, readyDevice},
	{"Teams Rooms Basic", []string{"Microsoft Teams Rooms Basic"}, deviceNoPhone},
	{"Microsoft_Teams_Rooms_Basic", []string{"Microsoft_Teams_Rooms_Basic"}, deviceNoPhone},
	{"Teams Rooms Basic with Teams Phone", []string{"Microsoft Teams Rooms Basic", "MCOEV"}, readyDevice},

	{"resource account", []string{"Microsoft Teams Phone Resource Account"}, readyResource},
	{"resource account, former name", []string{"Microsoft 365 Phone System - Virtual User"}, readyResource},
	{"PHONESYSTEM_VIRTUALUSER", []string{"PHONESYSTEM_VIRTUALUSER"}, readyResource},

	{"audio conferencing", []string{"Office 365 E3", "MCOEV", "Microsoft 365 Audio Conferencing"}, readyUser},
	{"MCOMEETADV", []string{"ENTERPRISEPACK", "MCOEV", "MCOMEETADV"}, readyUser},
	{"audio conferencing with dial-out to USA/CAN", []string{"SPE_E3", "MCOEV", "Microsoft Teams Audio Conferencing with dial-out to USA/CAN"}, readyUser},
	{"Microsoft_Teams_Audio_Conferencing_select_dial_out", []string{"SPE_E3", "MCOEV", "Microsoft_Teams_Audio_Conferencing_select_dial_out"}, readyUser},
	{"audio conferencing alone", []string{"MCOMEETADV"}, needsBothAudio},

	{"no licence", nil, needsBoth},
	{"licences without Teams", []string{"Exchange Online (Plan 1)", "Power BI Pro"}, needsBoth},
	{"case and accents", []string{"microsoft 365 É5"}, readyUser},
	{"tenant prefix of older exports", []string{"contoso:ENTERPRISEPACK", "contoso:MCOEV"}, readyNoAudio},
	{"E5 Security is not E5", []string{"Microsoft 365 E5 Security"}, needsBoth},
}

func TestCheck(t *testing.T) {
	for _, tt := range checkRows {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Check(tt.licences)); diff != "" {
				t.Errorf("Check(%q) (-want +got):\n%s", tt.licences, diff)
			}
		})
	}
}

// TestEveryLicenceChecked keeps the rows above complete: every name and
// SKU of the table is some row's licence.
func TestEveryLicenceChecked(t *testing.T) {
	var tested []string
	for _, tt := range checkRows {
		for _, l := range tt.licences {
			tested = append(tested, foldName(l))
		}
	}
	for _, l := range licences {
		for _, n := range slices.Concat(l.names, l.skus) {
			if !slices.Contains(tested, foldName(n)) {
				t.Errorf("no row of checkRows checks %q", n)
			}
		}
	}
}

func TestSplitLicences(t *testing.T) {
	for _, tt := range []struct {
		cell string
		want []string
	}{
		{"Office 365 E3+Microsoft Teams Phone Standard", []string{"Office 365 E3", "Microsoft Teams Phone Standard"}},
		{" SPE_E5 + MCOMEETADV ", []string{"SPE_E5", "MCOMEETADV"}},
		{"Unlicensed", nil},
		{"", nil},
		{"++", nil},
	} {
		if got := SplitLicences(tt.cell); !slices.Equal(got, tt.want) {
			t.Errorf("SplitLicences(%q) = %q, want %q", tt.cell, got, tt.want)
		}
	}
}

func TestItem(t *testing.T) {
	for _, key := range Items {
		if got := ItemKey(Item(key)); got != key {
			t.Errorf("ItemKey(Item(%q)) = %q, want the key back", key, got)
		}
	}
	if got := Item(MissingTeamsPhone); got != "teams_phone" {
		t.Errorf("Item(%q) = %q, want teams_phone", MissingTeamsPhone, got)
	}
	for _, item := range []string{"", "any", "not_in_tenant", "licensing.missing.teams"} {
		if got := ItemKey(item); got != "" {
			t.Errorf("ItemKey(%q) = %q, want none", item, got)
		}
	}
}
