/* test-serial-console.c: the serial console widget on a socketpair, under Xvfb
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The test holds the guest's end: what it writes shows in the terminal, what the
 * terminal's user types (VteTerminal::commit) arrives in order, and the end of the
 * stream leaves the widget disconnected with a named error, typing then ignored.
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtk/gtk.h>
#include <vte/vte.h>

#include "hangar-console-error.h"
#include "hangar-serial-console.h"

#define WAIT_UNTIL(condition) \
  G_STMT_START { \
    gint64 deadline_ = g_get_monotonic_time () + 10 * G_USEC_PER_SEC; \
    while (!(condition) && g_get_monotonic_time () < deadline_) \
      g_main_context_iteration (NULL, FALSE); \
    g_assert_true (condition); \
  } G_STMT_END

static char *
terminal_text (HangarSerialConsole *console)
{
  return vte_terminal_get_text (VTE_TERMINAL (hangar_serial_console_get_terminal (console)),
                                NULL, NULL, NULL);
}

static gboolean
shows (HangarSerialConsole *console,
       const char          *text)
{
  g_autofree char *all = terminal_text (console);

  return strstr (all, text) != NULL;
}

static gboolean
read_exactly (int         fd,
              char       *buffer,
              gsize       length)
{
  gsize done = 0;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (done < length && g_get_monotonic_time () < deadline)
    {
      gssize n = recv (fd, buffer + done, length - done, MSG_DONTWAIT);

      if (n > 0)
        done += n;
      else if (n == 0)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
    }
  return done == length;
}

static void
test_serial_console (void)
{
  GtkWidget *window = gtk_window_new ();
  HangarSerialConsole *console = HANGAR_SERIAL_CONSOLE (hangar_serial_console_new ());
  VteTerminal *terminal = VTE_TERMINAL (hangar_serial_console_get_terminal (console));
  int fds[2];
  char typed[64] = { 0 };
  static const char guest_says[] = "login: \r\nHANGAR-GUEST-LINE\r\n";
  static const char person_types[] = "root\recho \xc3\xa9t\xc3\xa9\r";

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (console));
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 400);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpint (hangar_serial_console_get_state (console), ==,
                   HANGAR_SERIAL_CONSOLE_DISCONNECTED);

  hangar_serial_console_open_fd (console, fds[0]);
  g_assert_cmpint (hangar_serial_console_get_state (console), ==,
                   HANGAR_SERIAL_CONSOLE_CONNECTED);
  g_assert_null (hangar_serial_console_get_error (console));

  /* The guest writes: the terminal shows it. */
  g_assert_cmpint (write (fds[1], guest_says, strlen (guest_says)), ==, strlen (guest_says));
  WAIT_UNTIL (shows (console, "HANGAR-GUEST-LINE"));

  /* The person types (UTF-8 too): the guest reads it, in order. */
  vte_terminal_feed_child (terminal, person_types, strlen (person_types));
  g_assert_true (read_exactly (fds[1], typed, strlen (person_types)));
  g_assert_cmpstr (typed, ==, person_types);

  /* The guest's end goes away: disconnected, with why; typing is dropped. */
  close (fds[1]);
  WAIT_UNTIL (hangar_serial_console_get_state (console) == HANGAR_SERIAL_CONSOLE_DISCONNECTED);
  g_assert_error (hangar_serial_console_get_error (console), HANGAR_CONSOLE_ERROR,
                  HANGAR_CONSOLE_ERROR_CLOSED);
  hangar_serial_console_send (console, "ignored\r", -1);
  vte_terminal_feed_child (terminal, "ignored too\r", -1);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();

  g_test_add_func ("/hangar/console/serial-console", test_serial_console);

  return g_test_run ();
}
