/* test-window-remote.c: a remote host in the window, over a real sshd
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The window's local engine runs on the test's private bus as in every window test;
 * the remote host is Debian's sshd on 127.0.0.1 (tests/hangar-test-sshd.h) whose
 * sessions run the remote user's own hangar-engine. The connection is added through
 * the Add Connection dialog; ssh is the system client with the harness's ssh_config
 * (HANGAR_SSH_CONFIG) and its questions go to this build's hangar-askpass
 * (HANGAR_ASKPASS), driven with xdotool where a person would click.
 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "hangar-connection.h"
#include "hangar-connection-dialog.h"
#include "hangar-console-view.h"
#include "hangar-display.h"
#include "hangar-machine-page.h"
#include "hangar-ssh-transport.h"
#include "hangar-test-desktop.h"
#include "hangar-test-sshd.h"
#include "window-fixture.h"

static HangarTestSshd *sshd;

/* ---- helpers --------------------------------------------------------------------- */

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

/* Fills in the dialog as a person would, and presses Add. */
static void
add_connection (Fixture *fixture)
{
  GtkWindow *dialog;
  GtkWidget *destination;
  GtkWidget *port;
  GtkWidget *at_start;

  activate (fixture, "win.add-connection");
  WAIT_UNTIL (fixture, find_toplevel (HANGAR_TYPE_CONNECTION_DIALOG) != NULL, "the dialog");
  dialog = find_toplevel (HANGAR_TYPE_CONNECTION_DIALOG);
  destination = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (dialog), HANGAR_TYPE_CONNECTION_DIALOG,
                                               "destination_row");
  port = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (dialog), HANGAR_TYPE_CONNECTION_DIALOG,
                                        "port_button");
  at_start = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (dialog), HANGAR_TYPE_CONNECTION_DIALOG,
                                            "at_start_switch");

  /* Bad input first: said inline, nothing saved, what was typed kept. */
  gtk_editable_set_text (GTK_EDITABLE (destination), "-oProxyCommand=sh");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.add", NULL));
  settle_widget (fixture, GTK_WIDGET (dialog));
  {
    g_autofree char *texts = shown_texts (GTK_WIDGET (dialog));

    g_assert_nonnull (strstr (texts, "is not a host name"));
  }
  g_assert_cmpuint (g_list_model_get_n_items (hangar_application_get_remotes (application)), ==,
                    0);
  take_widget_screenshot (fixture, GTK_WIDGET (dialog), "remote-dialog-invalid.png");

  gtk_editable_set_text (GTK_EDITABLE (destination), sshd->destination);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (port), sshd->port);
  gtk_switch_set_active (GTK_SWITCH (at_start), FALSE);
  settle_widget (fixture, GTK_WIDGET (dialog));
  take_widget_screenshot (fixture, GTK_WIDGET (dialog), "remote-dialog.png");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.add", NULL));
  WAIT_UNTIL (fixture, find_toplevel (HANGAR_TYPE_CONNECTION_DIALOG) == NULL, "the dialog gone");
}

static GtkWidget *
sidebar (Fixture *fixture)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                    HANGAR_TYPE_WINDOW, "connection_sidebar"));
}

static HangarConnection *
shown_connection (Fixture *fixture)
{
  return hangar_window_get_connection (fixture->window);
}

static gboolean
remote_shown (Fixture *fixture)
{
  return hangar_connection_get_transport (shown_connection (fixture)) != NULL;
}

static gboolean
shown_status_is (Fixture                *fixture,
                 HangarConnectionStatus  status)
{
  return hangar_connection_get_status (shown_connection (fixture)) == status;
}

static void
remove_remote (Fixture *fixture)
{
  HangarConnection *remote = shown_connection (fixture);

  g_object_add_weak_pointer (G_OBJECT (remote), (gpointer *) &remote);
  activate (fixture, "win.remove-connection");
  WAIT_UNTIL (fixture, !remote_shown (fixture), "the local engine shown again");
  g_assert_cmpuint (g_list_model_get_n_items (hangar_application_get_remotes (application)), ==,
                    0);
  WAIT_UNTIL (fixture, remote == NULL, "the removed connection freed");
}

static gboolean
run_xdotool (const char * const *argv)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                     G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  return g_subprocess_get_successful (process);
}

/* The askpass dialog is another process's window, found on the X server by its
 * class (its program's name). */
static gboolean
askpass_shown (void)
{
  return run_xdotool ((const char *[]) { "xdotool", "search", "--onlyvisible", "--classname",
                                         "^hangar-askpass$", NULL });
}

static void
screenshot_screen (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("HANGAR_SCREENSHOT_DIR"), name, NULL);

  g_assert_true (run_xdotool ((const char *[]) { "import", "-window", "root", path, NULL }));
  g_test_message ("Screenshot: %s", path);
}

/* A client config like the harness's but with a known_hosts file of our own. */
static char *
write_ssh_config (const char *known_hosts)
{
  g_autofree char *path = g_build_filename (sshd->dir, "ssh_config_asking", NULL);
  g_autofree char *text = g_strdup_printf ("IdentityFile %s\n"
                                           "IdentitiesOnly yes\n"
                                           "UserKnownHostsFile %s\n"
                                           "StrictHostKeyChecking ask\n",
                                           sshd->identity, known_hosts);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
define_remote_guest (void)
{
  g_autoptr(GSubprocess) ssh = NULL;
  g_autoptr(GDBusConnection) connection = hangar_test_sshd_connect (sshd, &ssh);
  g_autoptr(GDBusObjectManager) manager = NULL;
  g_autofree char *xml = hangar_test_guest_xml ("remote-tiny", "<graphics type='vnc'/>"
                                                "<video><model type='vga'/></video>");
  g_autoptr(HangarDBusMachine1) machine = hangar_test_sshd_define (sshd, connection, &manager,
                                                                   xml);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (machine);
  g_dbus_connection_close_sync (connection, NULL, NULL);
  g_subprocess_wait (ssh, NULL, &error);
  g_assert_no_error (error);
}

static HangarConsoleView *
console_view (Fixture *fixture)
{
  GtkWidget *page = gtk_stack_get_child_by_name (main_stack (fixture), "details");

  g_assert_nonnull (page);
  return HANGAR_CONSOLE_VIEW (gtk_widget_get_template_child (page, HANGAR_TYPE_MACHINE_PAGE,
                                                              "console_view"));
}

static gboolean
screen_drawn (Fixture *fixture)
{
  GtkWidget *display = hangar_console_view_get_display (console_view (fixture));

  return display != NULL && gtk_widget_get_mapped (display) &&
         hangar_display_get_frames_drawn (HANGAR_DISPLAY (display)) > 0 &&
         hangar_display_get_guest_width (HANGAR_DISPLAY (display)) > 0;
}

static HangarDBusMachine1 *
remote_machine (Fixture *fixture)
{
  GtkSingleSelection *selection = hangar_window_get_selection (fixture->window);

  return g_list_model_get_n_items (G_LIST_MODEL (selection)) > 0 ?
         g_list_model_get_item (G_LIST_MODEL (selection), 0) : NULL;
}

/* ---- tests ------------------------------------------------------------------------- */

/* Added through the dialog: the remote guest is listed, runs, shows its screen over
 * its own ssh channel; the ssh killed, the section says so, QEMU runs on there, and
 * the connection comes back by itself. */
static void
test_remote (Fixture       *fixture,
             gconstpointer  data)
{
  g_setenv ("HANGAR_SSH_CONFIG", sshd->ssh_config, TRUE);
  define_remote_guest ();

  open_window (fixture);
  WAIT_UNTIL (fixture, shown_status_is (fixture, HANGAR_CONNECTION_STATUS_CONNECTED),
              "the local engine connected");
  g_assert_false (gtk_widget_get_visible (sidebar (fixture)));

  add_connection (fixture);
  WAIT_UNTIL (fixture, remote_shown (fixture), "the remote host shown");
  g_assert_true (gtk_widget_get_visible (sidebar (fixture)));
  WAIT_UNTIL (fixture, shown_status_is (fixture, HANGAR_CONNECTION_STATUS_CONNECTED),
              "connected to the remote host");
  wait_for_rows (fixture, "remote-tiny | Shut Off | 1 CPU " DOT " 128 MiB");
  take_screenshot (fixture, "remote-section.png");

  /* Saved for the next start. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    g_autoptr(GVariant) saved = g_settings_get_value (settings, "connections");
    const char *destination;
    guint16 port;
    gboolean at_start;

    g_assert_cmpuint (g_variant_n_children (saved), ==, 1);
    g_variant_get_child (saved, 0, "(s&sqsb)", NULL, &destination, &port, NULL, &at_start);
    g_assert_cmpstr (destination, ==, sshd->destination);
    g_assert_cmpuint (port, ==, sshd->port);
    g_assert_false (at_start);
  }

  /* Run, and its screen over ssh. */
  {
    g_autoptr(HangarDBusMachine1) machine = NULL;
    guint pid;
    const char *ssh_pid;

    select_machine (fixture, "remote-tiny");
    activate (fixture, "vm.run");
    WAIT_UNTIL (fixture, row_state_is (fixture, "remote-tiny", "Running"), "remote-tiny Running");
    machine = remote_machine (fixture);
    pid = hangar_dbus_machine1_get_pid (machine);
    g_assert_cmpuint (pid, >, 0);
    started_qemu_pid = pid;

    activate (fixture, "vm.open");
    WAIT_UNTIL (fixture, g_strcmp0 (gtk_stack_get_visible_child_name (main_stack (fixture)),
                                    "details") == 0, NULL);
    WAIT_UNTIL (fixture, screen_drawn (fixture), "the remote guest's screen drawn");
    g_test_message ("Remote guest screen %d×%d",
                    hangar_display_get_guest_width (HANGAR_DISPLAY (
                      hangar_console_view_get_display (console_view (fixture)))),
                    hangar_display_get_guest_height (HANGAR_DISPLAY (
                      hangar_console_view_get_display (console_view (fixture)))));
    take_screenshot (fixture, "remote-console.png");
    activate (fixture, "vm.back");
    wait_for_rows (fixture, "remote-tiny | Running | 1 CPU " DOT " 128 MiB");

    /* The ssh killed: disconnected, said plainly; QEMU runs on at the host. */
    ssh_pid = hangar_ssh_transport_get_pid (hangar_connection_get_transport (shown_connection (fixture)));
    g_assert_nonnull (ssh_pid);
    g_assert_cmpint (kill (atoi (ssh_pid), SIGKILL), ==, 0);
    WAIT_UNTIL (fixture, !shown_status_is (fixture, HANGAR_CONNECTION_STATUS_CONNECTED),
                "the remote host lost");
    g_assert_true (page_is (fixture, "error") || page_is (fixture, "connecting"));
    if (page_is (fixture, "error"))
      {
        g_assert_nonnull (strstr (hangar_connection_get_error_message (shown_connection (fixture)),
                                  "connection to the host was lost"));
        take_screenshot (fixture, "remote-lost.png");
      }
    g_assert_true (hangar_test_pid_alive (pid));

    /* Back by itself (the reconnect back-off), with the machine still running. */
    WAIT_UNTIL (fixture, shown_status_is (fixture, HANGAR_CONNECTION_STATUS_CONNECTED),
                "the remote host back");
    wait_for_rows (fixture, "remote-tiny | Running | 1 CPU " DOT " 128 MiB");
    g_clear_object (&machine);
    machine = remote_machine (fixture);
    g_assert_cmpuint (hangar_dbus_machine1_get_pid (machine), ==, pid);

    /* Stopped from the window. */
    {
      g_autoptr(GSettings) settings = g_settings_new (APP_ID);

      g_settings_set_boolean (settings, "confirm-force-off", FALSE);
    }
    select_machine (fixture, "remote-tiny");
    activate (fixture, "vm.force-off");
    WAIT_UNTIL (fixture, row_state_is (fixture, "remote-tiny", "Shut Off"), "remote-tiny Shut Off");
    WAIT_UNTIL (fixture, !hangar_test_pid_alive (pid), "the remote QEMU gone");
    started_qemu_pid = 0;
  }

  remove_remote (fixture);
}

/* An unknown host key: hangar-askpass shows its fingerprint; Connect adds it to
 * known_hosts. */
static void
test_unknown_host_key (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GSubprocess) window_manager = hangar_test_start_window_manager ();
  g_autofree char *known_hosts = g_build_filename (sshd->dir, "known_hosts_empty", NULL);
  g_autofree char *config = write_ssh_config (known_hosts);
  g_autofree char *known = NULL;
  g_autofree char *key_body = NULL;

  g_assert_true (g_file_set_contents (known_hosts, "", 0, NULL));
  g_setenv ("HANGAR_SSH_CONFIG", config, TRUE);

  open_window (fixture);
  add_connection (fixture);
  WAIT_UNTIL (fixture, askpass_shown (), "hangar-askpass's dialog");
  screenshot_screen ("remote-askpass-host-key.png");
  g_assert_true (shown_status_is (fixture, HANGAR_CONNECTION_STATUS_CONNECTING));

  /* C_onnect, by its mnemonic, as a person at the keyboard would. */
  g_assert_true (run_xdotool ((const char *[]) { "xdotool", "search", "--onlyvisible",
                                                 "--classname", "^hangar-askpass$",
                                                 "windowfocus", "--sync", NULL }));
  g_assert_true (run_xdotool ((const char *[]) { "xdotool", "key", "alt+o", NULL }));
  WAIT_UNTIL (fixture, shown_status_is (fixture, HANGAR_CONNECTION_STATUS_CONNECTED),
              "connected after the key was accepted");
  g_assert_false (askpass_shown ());

  g_assert_true (g_file_get_contents (known_hosts, &known, NULL, NULL));
  /* "ssh-ed25519 AAAA… comment": the key itself is the second word. */
  {
    g_auto(GStrv) words = g_strsplit (sshd->host_public_key, " ", 3);

    g_assert_nonnull (words[1]);
    key_body = g_strstrip (g_strdup (words[1]));
  }
  g_assert_nonnull (strstr (known, key_body));

  remove_remote (fixture);
  g_subprocess_force_exit (window_manager);
}

/* A known_hosts that holds another key for the host: refused, OpenSSH's warning shown. */
static void
test_changed_host_key (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *known_hosts = g_build_filename (sshd->dir, "known_hosts_wrong", NULL);
  g_autofree char *config = write_ssh_config (known_hosts);
  g_autofree char *line = NULL;
  g_autofree char *shown = NULL;
  const char *message;

  /* Some other host's key, as after a reinstall or under an attack. */
  line = g_strdup_printf ("[127.0.0.1]:%u ssh-ed25519 "
                          "AAAAC3NzaC1lZDI1NTE5AAAAIHqwbkQ9QkmO0cU0xw1tS0yUmE2k4oV1f4p9o6Ks2QJm\n",
                          sshd->port);
  g_assert_true (g_file_set_contents (known_hosts, line, -1, NULL));
  g_setenv ("HANGAR_SSH_CONFIG", config, TRUE);

  open_window (fixture);
  add_connection (fixture);
  WAIT_UNTIL (fixture, remote_shown (fixture) &&
                       shown_status_is (fixture, HANGAR_CONNECTION_STATUS_FAILED),
              "refused");
  message = hangar_connection_get_error_message (shown_connection (fixture));
  g_assert_nonnull (strstr (message, "The host’s key has changed"));
  g_assert_nonnull (strstr (message, "REMOTE HOST IDENTIFICATION HAS CHANGED"));
  WAIT_UNTIL (fixture, page_is (fixture, "error"), "the error page");
  settle_widget (fixture, GTK_WIDGET (fixture->window));
  shown = shown_texts (GTK_WIDGET (fixture->window));
  g_assert_nonnull (strstr (shown, "The host’s key has changed"));
  take_screenshot (fixture, "remote-changed-key.png");
  /* Not tried again by itself (the first retry would come after 1 s): it would only
   * be refused again. */
  {
    gboolean waited = FALSE;

    g_timeout_add_seconds (3, on_deadline, &waited);
    while (!waited)
      {
        g_main_context_iteration (NULL, TRUE);
        g_assert_true (shown_status_is (fixture, HANGAR_CONNECTION_STATUS_FAILED));
      }
  }
  /* Nothing was added to known_hosts. */
  {
    g_autofree char *after = NULL;

    g_assert_true (g_file_get_contents (known_hosts, &after, NULL, NULL));
    g_assert_cmpstr (after, ==, line);
  }

  remove_remote (fixture);
}

/* An engine older than this application needs: said, and its machines not listed. */
static void
test_engine_too_old (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *message;

  g_setenv ("HANGAR_SSH_CONFIG", sshd->ssh_config, TRUE);
  g_setenv ("HANGAR_REQUIRE_ENGINE_VERSION", "99.0.0", TRUE);

  open_window (fixture);
  add_connection (fixture);
  WAIT_UNTIL (fixture, remote_shown (fixture) &&
                       shown_status_is (fixture, HANGAR_CONNECTION_STATUS_FAILED),
              "refused as too old");
  message = hangar_connection_get_error_message (shown_connection (fixture));
  g_assert_nonnull (strstr (message, "this Hangar needs 99.0.0 or later"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (hangar_window_get_selection (fixture->window))),
                    ==, 0);
  WAIT_UNTIL (fixture, page_is (fixture, "error"), "the error page");
  take_screenshot (fixture, "remote-too-old.png");
  g_unsetenv ("HANGAR_REQUIRE_ENGINE_VERSION");

  remove_remote (fixture);
}

/* Saved hosts come back at the next start: listed, and connected when "connect at
 * start" says so; an entry ssh would misread is left out. */
static void
test_restored (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(HangarApplication) second = NULL;
  g_autoptr(GError) error = NULL;
  HangarConnection *restored;
  GListModel *remotes;

  g_setenv ("HANGAR_SSH_CONFIG", sshd->ssh_config, TRUE);
  g_settings_set_value (settings, "connections",
                        g_variant_new_parsed ("[(%s, %s, %q, '', true), "
                                              "('bad', '-oProxyCommand=touch /tmp/x', 0, '', true)]",
                                              "saved-1", sshd->destination, (guint16) sshd->port));

  /* Another start of the application: its own instance, not the test's. */
  second = hangar_application_new ();
  g_application_set_flags (G_APPLICATION (second), G_APPLICATION_NON_UNIQUE);
  /* Its own name and object path on the bus: the test's application holds APP_ID's. */
  g_application_set_application_id (G_APPLICATION (second), APP_ID ".SecondStart");
  g_application_register (G_APPLICATION (second), NULL, &error);
  g_assert_no_error (error);
  remotes = hangar_application_get_remotes (second);
  g_assert_cmpuint (g_list_model_get_n_items (remotes), ==, 1);
  restored = g_list_model_get_item (remotes, 0);
  g_object_unref (restored);
  g_assert_cmpstr (hangar_connection_get_title (restored), ==, sshd->destination);
  g_assert_cmpstr (hangar_connection_get_id (restored), ==, "saved-1");
  g_assert_cmpint (hangar_connection_get_status (restored), ==, HANGAR_CONNECTION_STATUS_IDLE);

  /* Activated, as at a start: the window opens and the host connects by itself. */
  g_application_activate (G_APPLICATION (second));
  WAIT_UNTIL (fixture, hangar_connection_get_status (restored) == HANGAR_CONNECTION_STATUS_CONNECTED,
              "the saved host connected at start");

  hangar_application_remove_remote (second, restored);
  g_assert_cmpuint (g_list_model_get_n_items (remotes), ==, 0);
  {
    g_autoptr(GVariant) saved = g_settings_get_value (settings, "connections");

    /* Only the removed entry goes; the one that was left out stays as it was. */
    g_assert_cmpuint (g_variant_n_children (saved), ==, 1);
  }
  g_settings_reset (settings, "connections");
  {
    g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (second)));

    for (GList *l = windows; l != NULL; l = l->next)
      gtk_window_destroy (GTK_WINDOW (l->data));
  }
}

/* hangar-askpass alone, as ssh runs it: a passphrase typed and sent with Enter is
 * its answer; Escape cancels (status 1, nothing written). */
static void
test_askpass_passphrase (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *prompts[] = { "Enter passphrase for key '/home/alice/.ssh/id_ed25519': ", NULL };

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(GSubprocess) askpass = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *answer = NULL;
      gboolean cancel = round == 1;

      askpass = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                  g_getenv ("HANGAR_ASKPASS"), prompts[0], NULL);
      g_assert_no_error (error);
      WAIT_UNTIL (fixture, askpass_shown (), "hangar-askpass's dialog");
      if (!cancel)
        screenshot_screen ("remote-askpass-passphrase.png");
      g_assert_true (run_xdotool ((const char *[]) { "xdotool", "search", "--onlyvisible",
                                                     "--classname", "^hangar-askpass$",
                                                     "windowfocus", "--sync", NULL }));
      if (cancel)
        g_assert_true (run_xdotool ((const char *[]) { "xdotool", "key", "Escape", NULL }));
      else
        {
          g_assert_true (run_xdotool ((const char *[]) { "xdotool", "type", "s3cret pass",
                                                         NULL }));
          g_assert_true (run_xdotool ((const char *[]) { "xdotool", "key", "Return", NULL }));
        }
      g_subprocess_communicate_utf8 (askpass, NULL, NULL, &answer, NULL, &error);
      g_assert_no_error (error);
      if (cancel)
        {
          g_assert_cmpint (g_subprocess_get_exit_status (askpass), ==, 1);
          g_assert_cmpstr (answer, ==, "");
        }
      else
        {
          g_assert_true (g_subprocess_get_successful (askpass));
          g_assert_cmpstr (answer, ==, "s3cret pass\n");
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *runtime = g_mkdtemp (g_strdup ("/tmp/hangar-ui-run-XXXXXX"));
  int status;

  /* The ssh control sockets of this process, away from the user's. */
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  window_fixture_init (&argc, &argv);
  sshd = hangar_test_sshd_new ();

  g_test_add ("/hangar/ui/window/remote", Fixture, NULL, setup, test_remote, teardown);
  g_test_add ("/hangar/ui/window/remote-unknown-host-key", Fixture, NULL, setup,
              test_unknown_host_key, teardown);
  g_test_add ("/hangar/ui/window/remote-changed-host-key", Fixture, NULL, setup,
              test_changed_host_key, teardown);

  g_test_add ("/hangar/ui/window/remote-engine-too-old", Fixture, NULL, setup,
              test_engine_too_old, teardown);

  g_test_add ("/hangar/ui/window/remote-restored", Fixture, NULL, setup, test_restored,
              teardown);

  g_test_add ("/hangar/ui/window/remote-askpass-passphrase", Fixture, NULL, setup,
              test_askpass_passphrase, teardown);

  status = g_test_run ();
  hangar_test_sshd_free (sshd);
  window_fixture_finish ();
  return status;
}
