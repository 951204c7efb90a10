/* hangar-askpass.c: OpenSSH's questions, asked in a dialog
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ssh runs this program (SSH_ASKPASS, SSH_ASKPASS_REQUIRE=force, set by
 * hangar-ssh-transport.c) with the question as its argument, and reads the answer
 * from its standard output; exit status 1 is "cancelled". Three kinds:
 *
 *  - an unknown host key ("Are you sure you want to continue connecting"): the
 *    fingerprint is shown and "yes" is answered only when the person presses
 *    Connect, so that OpenSSH adds the key to known_hosts;
 *  - SSH_ASKPASS_PROMPT=confirm (a key that wants a confirmation): yes or no by the
 *    exit status; SSH_ASKPASS_PROMPT=none: a notice, closed by the person;
 *  - anything else: a password or passphrase, read into a password entry.
 */
#define G_LOG_DOMAIN "hangar-askpass"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

typedef struct
{
  GMainLoop  *loop;
  GtkWidget  *entry;      /* the password entry, or NULL */
  char       *answer;     /* what goes to standard output; NULL: cancelled */
  gboolean    confirmed;
} Asking;

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             Asking           *asking)
{
  if (g_str_equal (response, "connect"))
    asking->answer = g_strdup ("yes");
  else if (g_str_equal (response, "ok") && asking->entry != NULL)
    asking->answer = g_strdup (gtk_editable_get_text (GTK_EDITABLE (asking->entry)));
  else if (g_str_equal (response, "ok"))
    asking->confirmed = TRUE;
  g_main_loop_quit (asking->loop);
}

/* "The authenticity of host … can't be established.\nED25519 key fingerprint is
 * SHA256:….\n…Are you sure…": the lines before the question. */
static char *
host_key_body (const char *prompt)
{
  g_auto(GStrv) lines = g_strsplit (prompt, "\n", -1);
  g_autoptr(GString) body = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (strstr (lines[i], "Are you sure you want to continue connecting") != NULL)
        break;
      if (lines[i][0] == '\0')
        continue;
      if (body->len > 0)
        g_string_append_c (body, '\n');
      g_string_append (body, lines[i]);
    }
  g_string_append (body, "\n\n");
  g_string_append (body, _("Connect only if this fingerprint is the host’s: ask its "
                           "administrator, or run “ssh-keygen -lf” on its host key there. "
                           "The key is then remembered in known_hosts."));
  return g_string_free (g_steal_pointer (&body), FALSE);
}

int
main (int   argc,
      char *argv[])
{
  const char *prompt = argc > 1 ? argv[1] : "";
  const char *kind = g_getenv ("SSH_ASKPASS_PROMPT");
  Asking asking = { 0 };
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("hangar-askpass");
  g_set_application_name (_("Hangar"));

  if (!gtk_init_check ())
    {
      g_printerr ("hangar-askpass: %s\n", _("no display to ask on"));
      return 1;
    }
  adw_init ();

  /* Only hidden once answered, and destroyed when the main loop is out of the
   * key handling that answered. */
  dialog = g_object_ref (ADW_MESSAGE_DIALOG (adw_message_dialog_new (NULL, NULL, NULL)));
  gtk_window_set_hide_on_close (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_title (GTK_WINDOW (dialog), _("Hangar: SSH"));
  adw_message_dialog_add_response (dialog, "cancel", _("_Cancel"));
  adw_message_dialog_set_close_response (dialog, "cancel");

  if (strstr (prompt, "Are you sure you want to continue connecting") != NULL)
    {
      body = host_key_body (prompt);
      adw_message_dialog_set_heading (dialog, _("Unknown Host Key"));
      adw_message_dialog_set_body (dialog, body);
      adw_message_dialog_add_response (dialog, "connect", _("C_onnect"));
      adw_message_dialog_set_response_appearance (dialog, "connect", ADW_RESPONSE_SUGGESTED);
      /* The safe answer is the default: Enter does not trust a key. */
      adw_message_dialog_set_default_response (dialog, "cancel");
    }
  else if (g_strcmp0 (kind, "confirm") == 0 || g_strcmp0 (kind, "none") == 0)
    {
      gboolean confirm = g_str_equal (kind, "confirm");

      adw_message_dialog_set_heading (dialog, confirm ? _("Confirm") : _("SSH"));
      adw_message_dialog_set_body (dialog, prompt);
      adw_message_dialog_add_response (dialog, "ok", confirm ? _("_Allow") : _("_Close"));
      adw_message_dialog_set_default_response (dialog, "ok");
    }
  else
    {
      gboolean passphrase = strstr (prompt, "passphrase") != NULL;

      adw_message_dialog_set_heading (dialog, passphrase ? _("Passphrase Needed")
                                                         : _("Password Needed"));
      adw_message_dialog_set_body (dialog, prompt);
      asking.entry = gtk_password_entry_new ();
      gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (asking.entry), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (asking.entry),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      passphrase ? _("Passphrase") : _("Password"), -1);
      /* Enter gives the default response: answering from the entry's own "activate"
       * would destroy the dialog under the entry's key handling. */
      gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (asking.entry), TRUE);
      g_object_set (asking.entry, "activates-default", TRUE, NULL);
      adw_message_dialog_set_extra_child (dialog, asking.entry);
      adw_message_dialog_add_response (dialog, "ok", _("C_onnect"));
      adw_message_dialog_set_response_appearance (dialog, "ok", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "ok");
    }

  asking.loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), &asking);
  gtk_window_present (GTK_WINDOW (dialog));
  if (asking.entry != NULL)
    gtk_widget_grab_focus (asking.entry);
  g_main_loop_run (asking.loop);
  /* The entry loses the focus before it goes, not while it goes. */
  gtk_window_set_focus (GTK_WINDOW (dialog), NULL);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
  g_main_loop_unref (asking.loop);

  if (asking.answer != NULL)
    {
      g_print ("%s\n", asking.answer);
      memset (asking.answer, 0, strlen (asking.answer));
      g_free (asking.answer);
      return 0;
    }
  return asking.confirmed ? 0 : 1;
}
