package notify

// Purposes of the messages Enlace sends. Each has a pair of templates under
// templates/ (<purpose>.txt and <purpose>.html) and catalogue keys
// notify.<purpose>.* in every language.
const (
	PurposeLoginCode             = "login_code"
	PurposePasswordReset         = "password_reset"
	PurposeAccessRequestReceived = "access_request_received"
	PurposeAccessRequestApproved = "access_request_approved"
	PurposeAccessRequestRejected = "access_request_rejected"
	PurposeWelcomeUser           = "welcome_user"
	PurposePasswordChanged       = "password_changed"
	PurposeTaskReady             = "task_ready"
	PurposeTaskOverdue           = "task_overdue"
	PurposePlanChanged           = "plan_changed"
	PurposeProjectNotes          = "project_notes"
	PurposeRequestReceived       = "request_received"
	PurposeRequestPhase          = "request_phase"
	PurposeRequestAssigned       = "request_assigned"
	PurposeRequestComment        = "request_comment"
	PurposeRequestSLA            = "request_sla"
	// PurposePortOrder carries every notice of a port order: data "Notice"
	// picks its subject and text (porting.notice.<notice>.subject/.body).
	PurposePortOrder = "port_order"
)

// purposeSpec describes what rendering one purpose needs. Every purpose also
// takes an optional "Name", the recipient's name for the greeting.
type purposeSpec struct {
	// required lists the data keys the templates cannot do without.
	required []string
	// action is the catalogue key of the call to action linking to data
	// "URL"; empty for none.
	action string
	// whatsapp tells whether the purpose has a WhatsApp text
	// (notify.<purpose>.whatsapp).
	whatsapp bool
	// code tells whether data "Code" is a one-time code to carry apart from
	// the body, for WhatsApp authentication templates.
	code bool
	// noticeSubject, when set, is the subject's key with %s for data
	// "Notice": one purpose for many notices of one kind of object.
	noticeSubject string
}

// purposes are the purposes a Renderer knows. Add a row, a pair of
// templates and the catalogue keys to add one.
var purposes = map[string]purposeSpec{
	PurposeLoginCode:             {required: []string{"Code"}, whatsapp: true, code: true},
	PurposePasswordReset:         {required: []string{"URL"}, action: "notify.action.reset_password"},
	PurposeAccessRequestReceived: {required: []string{"RequesterName", "RequesterEmail", "CustomerName", "URL"}, action: "notify.action.review_request"},
	PurposeAccessRequestApproved: {required: []string{"CustomerName", "Email", "Password", "URL"}, action: "notify.action.login"},
	PurposeAccessRequestRejected: {required: []string{"CustomerName", "Reason"}},
	PurposeWelcomeUser:           {required: []string{"Email", "Password", "URL"}, action: "notify.action.login"},
	PurposePasswordChanged:       {action: "notify.action.reset_password", whatsapp: true},
	PurposeTaskReady:             {required: []string{"Project", "Folio", "Task", "Due", "URL"}, action: "notify.action.open_project"},
	PurposeTaskOverdue:           {required: []string{"Project", "Folio", "Task", "Due", "URL"}, action: "notify.action.open_project"},
	PurposePlanChanged:           {required: []string{"Project", "Folio", "Due", "URL"}, action: "notify.action.open_project"},
	PurposeProjectNotes:          {required: []string{"Project", "Folio", "Kind", "Body", "URL"}, action: "notify.action.open_project"},
	PurposeRequestReceived:       {required: []string{"Folio", "Subject", "URL"}, action: "notify.action.open_request"},
	PurposeRequestPhase:          {required: []string{"Folio", "Subject", "Phase", "URL"}, action: "notify.action.open_request"},
	PurposeRequestAssigned:       {required: []string{"Folio", "Subject", "Priority", "URL"}, action: "notify.action.open_request"},
	PurposeRequestComment:        {required: []string{"Folio", "Subject", "Author", "Body", "URL"}, action: "notify.action.open_request"},
	PurposeRequestSLA:            {required: []string{"Folio", "Subject", "Target", "Kind", "Due", "URL"}, action: "notify.action.open_request"},
	PurposePortOrder: {required: []string{"Folio", "Notice", "URL"}, action: "notify.action.open_port_order",
		noticeSubject: "porting.notice.%s.subject"},
}
