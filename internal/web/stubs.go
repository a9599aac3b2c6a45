package web

import "net/http"

func (s *Server) notifications(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) notification(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) readAllNotifications(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) users(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) newUserForm(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) createUser(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) editUserForm(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) newStaffForm(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) createStaff(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) accessRequests(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) accessRequest(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) approveRequest(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) rejectRequest(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) outbox(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) profile(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) beginTOTP(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) confirmTOTP(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) disableTOTP(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) recoverForm(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) startRecovery(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) sendRecovery(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) resetForm(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) registerForm(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) register(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
