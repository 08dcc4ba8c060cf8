;;; nianbao.el --- nianbao language server in Eglot  -*- lexical-binding: t; -*-

;; Lints Chinese government information-disclosure annual reports (政府信息公开工作年度报告)
;; as you type: `nianbao server' speaks LSP over stdio; Eglot shows its diagnostics with
;; Flymake and offers its quick fixes as code actions.
;;
;; Requires Eglot (built into Emacs 29+; on Emacs 26.3-28 install it from GNU ELPA or
;; Debian's elpa-eglot) and the `nianbao' binary on `exec-path'.
;;
;; Install: put this file on `load-path', then
;;   (require 'nianbao)
;;   (add-hook 'text-mode-hook #'eglot-ensure)      ; .txt reports
;;   (add-hook 'markdown-mode-hook #'eglot-ensure)  ; .md reports (markdown-mode package)
;; Settings (the server's `nianbao.*' settings), e.g.
;;   (setq nianbao-settings '(:run "onType" :debounceMs 150 :severity (:NB104 "warning")))
;; or per project in .dir-locals.el:
;;   ((nil . ((eglot-workspace-configuration . (:nianbao (:run "onSave"))))))

;;; Code:

(require 'eglot)

(defgroup nianbao nil
  "Annual-report linter nianbao through Eglot."
  :group 'eglot
  :prefix "nianbao-")

(defcustom nianbao-server-command '("nianbao" "server")
  "Command line that starts the nianbao language server."
  :type '(repeat string))

(defcustom nianbao-modes '(text-mode markdown-mode gfm-mode)
  "Major modes whose buffers Eglot connects to nianbao.
The server itself only reports on documents it recognises as annual
reports (or that match the `include' setting)."
  :type '(repeat symbol))

(defcustom nianbao-settings nil
  "The `nianbao.*' settings as a plist, e.g.
\\='(:run \"onType\" :debounceMs 150 :blankAsZero t :severity (:NB104 \"warning\")
   :disable [\"NB501\"] :include [\"reports/**/*.txt\"])."
  :type 'plist)

(defun nianbao-eglot-workspace-configuration (_server)
  "Workspace configuration with the `:nianbao' section from `nianbao-settings'."
  (list :nianbao (or nianbao-settings eglot--{})))

(defun nianbao--contact (&optional _interactive)
  "Eglot contact: the server command and its initializationOptions."
  (append nianbao-server-command
          (list :initializationOptions
                (lambda (_server) (list :nianbao (or nianbao-settings eglot--{}))))))

(add-to-list 'eglot-server-programs (cons nianbao-modes #'nianbao--contact))

;; Eglot sends `eglot-workspace-configuration' in workspace/didChangeConfiguration right
;; after connecting (an empty object when it is unset), and the server takes that as its
;; settings.  So unless you configured it yourself, let it carry `nianbao-settings'.
;; A directory-local value still wins.
(unless (default-value 'eglot-workspace-configuration)
  (setq-default eglot-workspace-configuration #'nianbao-eglot-workspace-configuration))

(provide 'nianbao)
;;; nianbao.el ends here
