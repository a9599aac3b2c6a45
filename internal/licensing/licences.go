package licensing

import (
	"cmp"
	"slices"
	"strings"

	"github.com/enlace-portal/enlace/internal/i18n"
)

// grant is what a licence gives an account, as bits.
type grant uint8

const (
	// grantTeams is Microsoft Teams itself.
	grantTeams grant = 1 << iota
	// grantPhone is Teams Phone (formerly Phone System): what lets an
	// account take a phone number the provider's cloud voice routes.
	grantPhone
	// grantCallingPlan is a Microsoft calling plan. A plan sold with
	// Teams Phone grants only this: removing the plan removes its phone.
	grantCallingPlan
	grantSharedDevice
	grantResource
	grantAudioConferencing
)

// licence is one licence Enlace knows: its display name in the Microsoft
// 365 admin center (older names too), its SKU part numbers, and what it
// grants. A licence with variants also answers to its name followed by a
// qualifier, such as "Teams Phone with Calling Plan (country zone 1 - US)".
type licence struct {
	names    []string
	skus     []string
	grants   grant
	variants bool
}

// licences is every licence the check knows. Names and SKU part numbers
// are matched folded (case, accents, underscores for spaces), so that
// "Microsoft_365_E5_(no_Teams)" is "Microsoft 365 E5 (no Teams)". The
// suites sold without Teams are listed so that no qualifier makes them
// their Teams edition.
var licences = []licence{
	// E5 and A5 suites: Teams with Teams Phone, nothing more needed.
	{names: []string{"Microsoft 365 E5"}, skus: []string{"SPE_E5"}, grants: grantTeams | grantPhone | grantAudioConferencing},
	{names: []string{"Microsoft 365 E5 without Audio Conferencing"}, skus: []string{"SPE_E5_NOPSTNCONF"}, grants: grantTeams | grantPhone},
	{names: []string{"Office 365 E5"}, skus: []string{"ENTERPRISEPREMIUM"}, grants: grantTeams | grantPhone | grantAudioConferencing},
	{names: []string{"Office 365 E5 without Audio Conferencing"}, skus: []string{"ENTERPRISEPREMIUM_NOPSTNCONF"}, grants: grantTeams | grantPhone},
	{names: []string{"Microsoft 365 E5 Developer (without Windows and Audio Conferencing)"}, skus: []string{"DEVELOPERPACK_E5"}, grants: grantTeams | grantPhone},
	{names: []string{"Microsoft 365 A5 for faculty"}, skus: []string{"M365EDU_A5_FACULTY"}, grants: grantTeams | grantPhone | grantAudioConferencing},
	{names: []string{"Microsoft 365 A5 for students"}, skus: []string{"M365EDU_A5_STUDENT"}, grants: grantTeams | grantPhone | grantAudioConferencing},
	{names: []string{"Office 365 A5 for faculty"}, skus: []string{"ENTERPRISEPREMIUM_FACULTY"}, grants: grantTeams | grantPhone | grantAudioConferencing},
	{names: []string{"Office 365 A5 for students"}, skus: []string{"ENTERPRISEPREMIUM_STUDENT"}, grants: grantTeams | grantPhone | grantAudioConferencing},
	{names: []string{"Microsoft 365 E5 (no Teams)"}, grants: grantPhone | grantAudioConferencing},
	{names: []string{"Office 365 E5 (no Teams)"}, grants: grantPhone | grantAudioConferencing},

	// Lower academic, enterprise, frontline and business suites: Teams
	// without Teams Phone.
	{names: []string{"Microsoft 365 E3"}, skus: []string{"SPE_E3"}, grants: grantTeams},
	{names: []string{"Office 365 E3"}, skus: []string{"ENTERPRISEPACK"}, grants: grantTeams},
	{names: []string{"Office 365 E1"}, skus: []string{"STANDARDPACK"}, grants: grantTeams},
	{names: []string{"Microsoft 365 F1"}, skus: []string{"M365_F1"}, grants: grantTeams},
	{names: []string{"Microsoft 365 F3"}, skus: []string{"SPE_F1"}, grants: grantTeams},
	{names: []string{"Office 365 F3"}, skus: []string{"DESKLESSPACK"}, grants: grantTeams},
	{names: []string{"Microsoft 365 A1"}, skus: []string{"M365EDU_A1"}, grants: grantTeams},
	{names: []string{"Microsoft 365 A3 for faculty"}, skus: []string{"M365EDU_A3_FACULTY"}, grants: grantTeams},
	{names: []string{"Microsoft 365 A3 for students"}, skus: []string{"M365EDU_A3_STUDENT"}, grants: grantTeams},
	{names: []string{"Office 365 A1 for faculty"}, skus: []string{"STANDARDWOFFPACK_FACULTY"}, grants: grantTeams},
	{names: []string{"Office 365 A1 for students"}, skus: []string{"STANDARDWOFFPACK_STUDENT"}, grants: grantTeams},
	{names: []string{"Office 365 A3 for faculty"}, skus: []string{"ENTERPRISEPACKPLUS_FACULTY"}, grants: grantTeams},
	{names: []string{"Office 365 A3 for students"}, skus: []string{"ENTERPRISEPACKPLUS_STUDENT"}, grants: grantTeams},
	{names: []string{"Microsoft 365 Business Basic"}, skus: []string{"O365_BUSINESS_ESSENTIALS"}, grants: grantTeams},
	{names: []string{"Microsoft 365 Business Standard"}, skus: []string{"O365_BUSINESS_PREMIUM"}, grants: grantTeams},
	{names: []string{"Microsoft 365 Business Premium"}, skus: []string{"SPB"}, grants: grantTeams},
	{names: []string{"Microsoft Teams Enterprise"}, skus: []string{"Microsoft_Teams_Enterprise_New"}, grants: grantTeams},
	{names: []string{"Microsoft 365 E3 (no Teams)"}},
	{names: []string{"Office 365 E3 (no Teams)"}},

	// The Teams Phone add-on, and Business Voice without a calling plan.
	{names: []string{"Microsoft Teams Phone Standard", "Microsoft 365 Phone System"}, skus: []string{"MCOEV"}, grants: grantPhone},
	{names: []string{"Microsoft Teams Phone Standard for Faculty"}, skus: []string{"MCOEV_FACULTY"}, grants: grantPhone},
	{names: []string{"Microsoft Teams Phone Standard for Students"}, skus: []string{"MCOEV_STUDENT"}, grants: grantPhone},
	{names: []string{"Microsoft 365 Business Voice (without calling plan)"}, skus: []string{"BUSINESS_VOICE_DIRECTROUTING"},
		grants: grantPhone | grantAudioConferencing, variants: true},

	// Microsoft calling plans, alone or sold with Teams Phone.
	{names: []string{"Microsoft Teams Domestic Calling Plan", "Microsoft 365 Domestic Calling Plan", "Skype for Business PSTN Domestic Calling"},
		skus: []string{"MCOPSTN1", "MCOPSTN5"}, grants: grantCallingPlan, variants: true},
	{names: []string{"Microsoft Teams Domestic and International Calling Plan", "Skype for Business PSTN Domestic and International Calling"},
		skus: []string{"MCOPSTN2"}, grants: grantCallingPlan, variants: true},
	{names: []string{"Microsoft Teams Calling Plan pay-as-you-go"}, grants: grantCallingPlan, variants: true},
	{names: []string{"Teams Phone with Calling Plan", "Microsoft Teams Phone with Calling Plan"}, skus: []string{"MCOTEAMS_ESSENTIALS"},
		grants: grantCallingPlan, variants: true},
	{names: []string{"Microsoft 365 Business Voice"}, skus: []string{"BUSINESS_VOICE_MED2", "BUSINESS_VOICE_MED2_TELCO"},
		grants: grantCallingPlan, variants: true},

	// Common-area phones and meeting rooms.
	{names: []string{"Microsoft Teams Shared Devices", "Common Area Phone"}, skus: []string{"MCOCAP"}, grants: grantTeams | grantPhone | grantSharedDevice},
	{names: []string{"Microsoft Teams Rooms Pro"}, grants: grantTeams | grantPhone | grantAudioConferencing | grantSharedDevice},
	{names: []string{"Microsoft Teams Rooms Basic"}, grants: grantTeams | grantSharedDevice},

	// The free licence of auto attendants' and call queues' accounts.
	{names: []string{"Microsoft Teams Phone Resource Account", "Microsoft 365 Phone System - Virtual User"}, skus: []string{"PHONESYSTEM_VIRTUALUSER"},
		grants: grantResource | grantPhone},

	// Audio conferencing with dial-out: optional.
	{names: []string{"Microsoft 365 Audio Conferencing"}, skus: []string{"MCOMEETADV"}, grants: grantAudioConferencing},
	{names: []string{"Microsoft Teams Audio Conferencing with dial-out to USA/CAN"}, skus: []string{"Microsoft_Teams_Audio_Conferencing_select_dial_out"},
		grants: grantAudioConferencing},
}

// byName finds a licence by any of its folded names and SKUs; variants
// are the licences with variants, longest name first, so that the most
// specific one answers.
var byName, variants = indexLicences()

type variant struct {
	prefix string
	l      *licence
}

func indexLicences() (map[string]*licence, []variant) {
	m := map[string]*licence{}
	var vs []variant
	for i := range licences {
		l := &licences[i]
		for _, s := range slices.Concat(l.names, l.skus) {
			k := foldName(s)
			if _, dup := m[k]; dup {
				panic("licensing: licence " + s + " listed twice")
			}
			m[k] = l
			if l.variants {
				vs = append(vs, variant{prefix: k + " ", l: l})
			}
		}
	}
	slices.SortFunc(vs, func(a, b variant) int { return cmp.Compare(len(b.prefix), len(a.prefix)) })
	return m, vs
}

// identify finds the licence a name or SKU part number stands for.
func identify(name string) (licence, bool) {
	k := foldName(name)
	if l, ok := byName[k]; ok {
		return *l, true
	}
	for _, v := range variants {
		if strings.HasPrefix(k, v.prefix) {
			return *v.l, true
		}
	}
	return licence{}, false
}

// foldName makes a licence name or SKU comparable: without the tenant
// prefix older exports put before SKUs ("contoso:ENTERPRISEPACK"),
// underscores read as spaces, folded.
func foldName(s string) string {
	if tenant, sku, ok := strings.Cut(s, ":"); ok && !strings.ContainsAny(strings.TrimSpace(tenant), " \t") {
		s = sku
	}
	return i18n.Fold(strings.ReplaceAll(s, "_", " "))
}
