;;; test.el --- Eglot end-to-end test of the nianbao language server  -*- lexical-binding: t; -*-

;; Run by tests/editors/emacs/run.sh: emacs --batch -q -l editors/emacs/nianbao.el -l test.el
;; Env: NB_CASE (open_txt | edit_txt), NB_BIN, NB_FIXTURE, NB_OUT, NB_TIMEOUT_MS;
;; NB_DEBUG=FILE writes Eglot's JSON-RPC events buffer to FILE.
;; Opens the sample in text-mode with `eglot-ensure' from `text-mode-hook' (as the README
;; says), reads the Flymake diagnostics Eglot made, converts their buffer positions back to
;; LSP (0-based line, UTF-16 column) and checks them.  Exit status 0 pass, 1 fail.

;;; Code:

(require 'cl-lib)
(require 'json)

(defvar nb-failures nil)
(defvar nb-notes nil)
(defvar nb-t0 (float-time))
(defun nb-ms () (round (* 1000 (- (float-time) nb-t0))))
(defun nb-log (fmt &rest args)
  (princ (format "[emacs %s %5d ms] %s\n" (getenv "NB_CASE") (nb-ms) (apply #'format fmt args))
         #'external-debugging-output))
(defun nb-fail (fmt &rest args)
  (let ((m (apply #'format fmt args))) (push m nb-failures) (nb-log "FAIL: %s" m)))
(defun nb-check (cond fmt &rest args) (unless cond (apply #'nb-fail fmt args)) cond)

(defvar nb-timeout (/ (string-to-number (or (getenv "NB_TIMEOUT_MS") "20000")) 1000.0))

(defun nb-utf16-col (pos)
  "UTF-16 column of buffer position POS."
  (save-excursion
    (goto-char pos)
    (let ((s (buffer-substring-no-properties (line-beginning-position) pos)))
      (+ (length s) (cl-count-if (lambda (c) (> c #xFFFF)) s)))))

(defun nb-diags ()
  "Flymake diagnostics of the current buffer as plists: code severity range text message."
  (flymake-start)
  (mapcar
   (lambda (d)
     (let* ((beg (flymake-diagnostic-beg d)) (end (flymake-diagnostic-end d))
            (text (flymake-diagnostic-text d))
            (code (and (string-match "\\[\\(NB[0-9]+\\)\\]" text) (match-string 1 text))))
       (list :code code
             :severity (pcase (flymake-diagnostic-type d)
                         ('eglot-error 1) ('eglot-warning 2) ('eglot-note 3) (_ 0))
             :range (list (1- (line-number-at-pos beg)) (nb-utf16-col beg)
                          (1- (line-number-at-pos end)) (nb-utf16-col end))
             :covers (buffer-substring-no-properties beg end)
             :text text)))
   (flymake-diagnostics)))

(defun nb-find (diags code) (cl-remove-if-not (lambda (d) (equal (plist-get d :code) code)) diags))

(defun nb-expect (diags code severity range &optional covers)
  (let ((ds (nb-find diags code)))
    (when (nb-check (= (length ds) 1) "%s: expected 1 diagnostic, got %d" code (length ds))
      (let ((d (car ds)))
        (nb-check (eql (plist-get d :severity) severity) "%s: severity %s, expected %s"
                  code (plist-get d :severity) severity)
        (nb-check (equal (plist-get d :range) range) "%s: UTF-16 range %S, expected %S"
                  code (plist-get d :range) range)
        (when covers
          (nb-check (equal (plist-get d :covers) covers) "%s: range covers %S, expected %S"
                    code (plist-get d :covers) covers))))))

(defun nb-wait (what pred)
  (let ((deadline (+ (float-time) nb-timeout)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.02))
    (or (funcall pred)
        (progn (nb-fail "timed out after %.0f s waiting for %s" nb-timeout what) nil))))

(defun nb-open (file)
  "Visit FILE and connect as a user's config would (`eglot-ensure' in `text-mode-hook')."
  (find-file file)
  (nb-check (eq major-mode 'text-mode) "major mode %s" major-mode)
  ;; eglot-ensure connects after the current command; there is no command loop in batch.
  (run-hooks 'post-command-hook)
  (nb-check (eglot-current-server) "no Eglot server for the buffer")
  (nb-wait "diagnostics" (lambda () (nb-diags))))

(defun nb-common (diags)
  (dolist (d diags)
    (nb-check (string-prefix-p "nianbao [NB" (plist-get d :text)) "text %S" (plist-get d :text))))

(defvar nb-final nil)

(defun nb-case-open_txt ()
  (when (nb-open (getenv "NB_FIXTURE"))
    (push (format "first diagnostics after %d ms" (nb-ms)) nb-notes)
    (accept-process-output nil 0.3)
    (let ((diags (nb-diags)))
      (setq nb-final diags)
      (nb-common diags)
      (nb-expect diags "NB101" 1 '(313 9 313 10) "日")
      (nb-expect diags "NB104" 3 '(271 2 271 9) "復議和訴訟情況")
      (nb-expect diags "NB501" 2 '(2 591 2 598))
      (nb-check (nb-find diags "NB108") "NB108 missing")
      (nb-check (nb-find diags "NB111") "NB111 missing"))))

(defun nb-case-edit_txt ()
  (setq nianbao-settings '(:debounceMs 20 :severity (:NB104 "warning")))
  (when (nb-open (getenv "NB_FIXTURE"))
    (nb-expect (nb-diags) "NB104" 2 '(271 2 271 9) "復議和訴訟情況")
    (setq buffer-read-only nil) ; the fixture is mode 444; the edit is never saved
    ;; An emoji (2 UTF-16 units, 1 Emacs char) before the NB501 range.
    (goto-char (point-min)) (forward-line 2) (insert "😀")
    (goto-char (point-max)) (insert "\n六、其他需要报告的事项\n本机关无其他需要报告的事项。")
    ;; Eglot sends didChange from an idle timer (`eglot-send-changes-idle-time'); batch
    ;; Emacs is never idle, so do what the timer does.
    (eglot--signal-textDocument/didChange)
    (nb-wait "NB101 to go away and NB501 to move"
             (lambda ()
               (let ((ds (nb-diags)))
                 (and ds (null (nb-find ds "NB101"))
                      (equal (plist-get (car (nb-find ds "NB501")) :range) '(2 593 2 600))))))
    (accept-process-output nil 0.3)
    (let ((diags (nb-diags)))
      (setq nb-final diags)
      (nb-common diags)
      (nb-check (null (nb-find diags "NB101")) "NB101 still reported after adding part 六")
      (nb-expect diags "NB501" 2 '(2 593 2 600))
      (nb-expect diags "NB104" 2 '(271 2 271 9) "復議和訴訟情況"))))

(setq nianbao-server-command (list (getenv "NB_BIN") "server"))
(add-hook 'text-mode-hook #'eglot-ensure)
(setq eglot-sync-connect t)
(let ((fn (intern-soft (concat "nb-case-" (or (getenv "NB_CASE") "")))))
  (if (not (fboundp fn))
      (nb-fail "unknown case %s" (getenv "NB_CASE"))
    (condition-case err (funcall fn)
      (error (nb-fail "error: %S" err)))))

;; Shut the server down as `eglot-shutdown' does (shutdown, exit) and check that it ends.
(defvar nb-warnings nil)
(let* ((server (ignore-errors (eglot-current-server)))
       (proc (and server (jsonrpc--process server))))
  (when (and server (getenv "NB_DEBUG"))
    (with-current-buffer (jsonrpc-events-buffer server)
      (write-region nil nil (getenv "NB_DEBUG"))))
  (when server
    (let ((t1 (float-time)))
      (setf (eglot--shutdown-requested server) t)
      (ignore-errors (jsonrpc-request server :shutdown nil :timeout 2))
      (ignore-errors (jsonrpc-notify server :exit nil))
      (let ((deadline (+ (float-time) 2)))
        (while (and (process-live-p proc) (< (float-time) deadline))
          (accept-process-output nil 0.02)))
      (if (process-live-p proc)
          (push "server did not exit within 2 s of shutdown+exit (stdin still open); killed" nb-warnings)
        (push (format "server exited %d ms after shutdown" (round (* 1000 (- (float-time) t1)))) nb-notes))
      (ignore-errors (jsonrpc-shutdown server t)))))

(with-temp-file (getenv "NB_OUT")
  (insert (json-encode
           (list (cons 'case (getenv "NB_CASE"))
                 (cons 'ok (if nb-failures :json-false t))
                 (cons 'ms (nb-ms))
                 (cons 'emacs emacs-version)
                 (cons 'failures (vconcat (reverse nb-failures)))
                 (cons 'warnings (vconcat (reverse nb-warnings)))
                 (cons 'notes (vconcat (reverse nb-notes)))
                 (cons 'diagnostics
                       (vconcat (mapcar (lambda (d)
                                          (list (cons 'code (plist-get d :code))
                                                (cons 'severity (plist-get d :severity))
                                                (cons 'range (vconcat (plist-get d :range)))
                                                (cons 'message (plist-get d :text))))
                                        nb-final))))))
  (insert "\n"))
(kill-emacs (if nb-failures 1 0))
;;; test.el ends here
