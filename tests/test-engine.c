/* test-engine.c: a real engine on a private bus running the tiny guest under QEMU:
 * lifecycle, restarts, crashes, consoles, statistics and notifications
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <errno.h>
#include <gio/gunixfdlist.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-test-engine.h"

#define READY HANGAR_TEST_READY
#define BOOT_TIMEOUT HANGAR_TEST_BOOT_TIMEOUT

typedef HangarTestEngine Fixture;

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  hangar_test_engine_setup (fixture);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  hangar_test_engine_teardown (fixture);
}

/* define → start → ready line → pause/resume → ACPI shutdown → shut off */
static void
test_lifecycle (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("tiny", NULL);
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (fixture, xml);
  g_autoptr(GError) error = NULL;
  GPid pid;

  g_assert_cmpstr (hangar_dbus_machine1_get_state (machine), ==, "shut-off");
  hangar_test_start_and_wait_ready (fixture, machine);
  g_assert_cmpstr (hangar_dbus_machine1_get_state_reason (machine), ==, "booted");
  pid = hangar_dbus_machine1_get_pid (machine);
  g_assert_cmpint (pid, >, 0);
  /* QEMU leads a session of its own, so it outlives the engine. */
  g_assert_cmpint (getsid (pid), ==, pid);

  hangar_dbus_machine1_call_pause_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state_reason (machine, "paused", "user", 5);

  hangar_dbus_machine1_call_resume_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state (machine, "running", 5);

  hangar_dbus_machine1_call_shutdown_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state_reason (machine, "shut-off", "shutdown", 30);
  g_assert_cmpuint (hangar_dbus_machine1_get_pid (machine), ==, 0);
  g_assert_false (hangar_test_pid_alive (pid));
  g_assert_cmpstr (hangar_dbus_machine1_get_last_error (machine), ==, "");
}

/* Reboot: ACPI power-off becomes a reset; Reset: the guest boots again at once. */
static void
test_reboot_reset (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("rebooter", NULL);
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (fixture, xml);
  g_autoptr(GError) error = NULL;
  GPid pid;

  hangar_test_start_and_wait_ready (fixture, machine);
  pid = hangar_dbus_machine1_get_pid (machine);

  hangar_dbus_machine1_call_reboot_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_serial (fixture, machine, READY, 2, BOOT_TIMEOUT);
  g_assert_cmpstr (hangar_dbus_machine1_get_state (machine), ==, "running");
  g_assert_cmpuint (hangar_dbus_machine1_get_pid (machine), ==, pid);

  hangar_dbus_machine1_call_reset_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_serial (fixture, machine, READY, 3, BOOT_TIMEOUT);

  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_no_error (error);
  /* Properties change in an idle after the reply: wait for the signal. */
  hangar_test_wait_state_reason (machine, "shut-off", "destroyed", 5);
  g_assert_false (hangar_test_pid_alive (pid));
}

/* SIGKILL the engine with two VMs running: a new engine lists and controls both. */
static void
test_engine_restart (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *xml_a = hangar_test_guest_xml ("survivor-a", NULL);
  g_autofree char *xml_b = hangar_test_guest_xml ("survivor-b", NULL);
  g_autoptr(HangarDBusMachine1) a = hangar_test_define (fixture, xml_a);
  g_autoptr(HangarDBusMachine1) b = hangar_test_define (fixture, xml_b);
  g_autoptr(GError) error = NULL;
  GPid pid_a, pid_b;

  hangar_test_start_and_wait_ready (fixture, a);
  hangar_test_start_and_wait_ready (fixture, b);
  pid_a = hangar_dbus_machine1_get_pid (a);
  pid_b = hangar_dbus_machine1_get_pid (b);
  g_clear_object (&a);
  g_clear_object (&b);

  hangar_test_engine_stop (fixture, SIGKILL);
  g_assert_true (hangar_test_pid_alive (pid_a));
  g_assert_true (hangar_test_pid_alive (pid_b));

  hangar_test_engine_start (fixture);
  a = hangar_test_lookup (fixture, "survivor-a");
  b = hangar_test_lookup (fixture, "survivor-b");
  g_assert_cmpstr (hangar_dbus_machine1_get_state (a), ==, "running");
  g_assert_cmpstr (hangar_dbus_machine1_get_state (b), ==, "running");
  g_assert_cmpstr (hangar_dbus_machine1_get_state_reason (a), ==, "reattached");
  g_assert_cmpuint (hangar_dbus_machine1_get_pid (a), ==, pid_a);
  g_assert_cmpuint (hangar_dbus_machine1_get_pid (b), ==, pid_b);

  /* A clean stop (SIGTERM) leaves them running as well. */
  g_clear_object (&a);
  g_clear_object (&b);
  hangar_test_engine_stop (fixture, SIGTERM);
  g_assert_true (hangar_test_pid_alive (pid_a));
  g_assert_true (hangar_test_pid_alive (pid_b));
  hangar_test_engine_start (fixture);
  a = hangar_test_lookup (fixture, "survivor-a");
  b = hangar_test_lookup (fixture, "survivor-b");
  g_assert_cmpstr (hangar_dbus_machine1_get_state (a), ==, "running");
  g_assert_cmpstr (hangar_dbus_machine1_get_state (b), ==, "running");

  /* Controlled: pause and resume over the new monitor connection, ACPI and force off. */
  hangar_dbus_machine1_call_pause_sync (a, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state (a, "paused", 5);
  hangar_dbus_machine1_call_resume_sync (a, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state (a, "running", 5);

  hangar_dbus_machine1_call_shutdown_sync (a, NULL, &error);
  g_assert_no_error (error);
  hangar_dbus_machine1_call_force_off_sync (b, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state_reason (a, "shut-off", "shutdown", 30);
  hangar_test_wait_state_reason (b, "shut-off", "destroyed", 10);
  g_assert_false (hangar_test_pid_alive (pid_a));
  g_assert_false (hangar_test_pid_alive (pid_b));
}

/* A QEMU killed behind the engine's back is a crash, with its reason readable. */
static void
test_crash (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("victim", NULL);
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (fixture, xml);
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;

  hangar_test_start_and_wait_ready (fixture, machine);
  g_assert_cmpint (kill (hangar_dbus_machine1_get_pid (machine), SIGKILL), ==, 0);
  hangar_test_wait_state_reason (machine, "crashed", "crashed", 10);
  g_assert_nonnull (strstr (hangar_dbus_machine1_get_last_error (machine), "signal 9"));

  /* The crash survives an engine restart, and the machine starts again. */
  g_clear_object (&machine);
  hangar_test_engine_stop (fixture, SIGTERM);
  hangar_test_engine_start (fixture);
  machine = hangar_test_lookup (fixture, "victim");
  g_assert_cmpstr (hangar_dbus_machine1_get_state (machine), ==, "crashed");
  g_assert_nonnull (strstr (hangar_dbus_machine1_get_last_error (machine), "signal 9"));

  hangar_dbus_machine1_call_read_log_sync (machine, 50, &log, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (log);

  hangar_test_start_and_wait_ready (fixture, machine);
  g_assert_cmpstr (hangar_dbus_machine1_get_last_error (machine), ==, "");
  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_no_error (error);
}

/* A QEMU that refuses to start: the caller hears QEMU's own words. */
static void
test_start_failure (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *disk = g_build_filename (fixture->data_dir, "garbage.qcow2", NULL);
  g_autofree char *device = NULL;
  g_autofree char *xml = NULL;
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (disk, "this is not a qcow2 image", -1, NULL));
  device = g_strdup_printf ("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                            "<source file='%s'/><target dev='vda' bus='virtio'/></disk>", disk);
  xml = hangar_test_guest_xml ("broken-disk", device);
  machine = hangar_test_define (fixture, xml);

  hangar_dbus_machine1_call_start_sync (machine, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_QEMU_FAILED);
  g_assert_nonnull (strstr (error->message, "qcow2"));
  hangar_test_wait_state_reason (machine, "shut-off", "failed", 5);
  g_assert_nonnull (strstr (hangar_dbus_machine1_get_last_error (machine), "qcow2"));
}

typedef struct
{
  char   *uuid;
  guint   samples;
  double  max_cpu;
  guint64 rss;
} StatisticsSeen;

static void
on_statistics (HangarDBusHost1 *host,
               gint64           timestamp,
               GVariant        *host_values,
               GVariant        *samples,
               StatisticsSeen  *seen)
{
  GVariantIter iter;
  const char *uuid;
  GVariant *values;

  g_assert_cmpint (timestamp, >, 0);
  g_variant_iter_init (&iter, samples);
  while (g_variant_iter_loop (&iter, "(&s@a{sv})", &uuid, &values))
    {
      double cpu = -1;
      guint64 rss = 0;

      if (!g_str_equal (uuid, seen->uuid))
        continue;
      g_assert_true (g_variant_lookup (values, "cpu", "d", &cpu));
      g_assert_true (g_variant_lookup (values, "memory-rss", "t", &rss));
      g_assert_cmpfloat (cpu, >=, 0);
      seen->samples++;
      seen->max_cpu = MAX (seen->max_cpu, cpu);
      seen->rss = rss;
    }
}

/* One batched signal per interval with every running machine's CPU and memory. */
static void
test_statistics (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("measured", NULL);
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (fixture, xml);
  StatisticsSeen seen = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 deadline;
  gulong handler;

  g_assert_cmpuint (hangar_dbus_host1_get_statistics_interval (fixture->host), ==, 1000);
  hangar_dbus_host1_call_set_statistics_interval_sync (fixture->host, 10, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  hangar_dbus_host1_call_set_statistics_interval_sync (fixture->host, 500, NULL, &error);
  g_assert_no_error (error);
  hangar_dbus_host1_call_subscribe_statistics_sync (fixture->host, NULL, &error);
  g_assert_no_error (error);

  seen.uuid = hangar_dbus_machine1_dup_uuid (machine);
  handler = g_signal_connect (fixture->host, "statistics", G_CALLBACK (on_statistics), &seen);
  hangar_dbus_machine1_call_start_sync (machine, NULL, &error);
  g_assert_no_error (error);

  /* The guest boots under TCG: QEMU works hard for a few seconds. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (seen.samples < 4 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (fixture->host, handler);
  g_assert_cmpuint (seen.samples, >=, 4);
  g_assert_cmpfloat (seen.max_cpu, >, 5.0);
  g_assert_cmpuint (seen.rss, >, 16 * 1024 * 1024);
  g_free (seen.uuid);

  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_no_error (error);
}

/* ---- notifications ----------------------------------------------------------- */

static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "<arg type='u' direction='out'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "<method name='GetServerInformation'><arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "<arg type='s' direction='out'/><arg type='s' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "</interface></node>";

/* The desktop's notification server, played by the test: it records what it is shown. */
static void
on_notification_call (GDBusConnection       *connection,
                      const char            *sender,
                      const char            *path,
                      const char            *interface,
                      const char            *method,
                      GVariant              *parameters,
                      GDBusMethodInvocation *invocation,
                      gpointer               user_data)
{
  GPtrArray *shown = user_data;

  if (g_str_equal (method, "Notify"))
    {
      const char *summary, *body;

      g_variant_get (parameters, "(&su&s&s&s@as@a{sv}i)", NULL, NULL, NULL, &summary, &body,
                     NULL, NULL, NULL);
      g_ptr_array_add (shown, g_strdup_printf ("%s|%s", summary, body));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", shown->len));
    }
  else if (g_str_equal (method, "GetCapabilities"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new_parsed ("(['body'],)"));
  else if (g_str_equal (method, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "test", "hangar", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
crash_and_wait (Fixture            *fixture,
                HangarDBusMachine1 *machine)
{
  g_autoptr(GError) error = NULL;

  hangar_dbus_machine1_call_start_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state (machine, "running", 5);
  g_assert_cmpint (kill (hangar_dbus_machine1_get_pid (machine), SIGKILL), ==, 0);
  /* The engine notifies before it announces the state, on the same connection. */
  hangar_test_wait_state_reason (machine, "crashed", "crashed", 10);
}

/* A crash with no window open reaches the desktop; with a window open it does not. */
static void
test_notifications (Fixture       *fixture,
                    gconstpointer  data)
{
  static const GDBusInterfaceVTable vtable = { on_notification_call, NULL, NULL, { 0 } };
  g_autofree char *xml = hangar_test_guest_xml ("crashy", NULL);
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (fixture, xml);
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GDBusNodeInfo) node = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GError) error = NULL;
  guint object_id, server_name, window_name;

  object_id = g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications",
                                                 node->interfaces[0], &vtable, shown, NULL,
                                                 &error);
  g_assert_no_error (error);
  server_name = g_bus_own_name_on_connection (bus, "org.freedesktop.Notifications",
                                              G_BUS_NAME_OWNER_FLAGS_NONE, NULL, NULL, NULL, NULL);

  crash_and_wait (fixture, machine);
  g_assert_cmpuint (shown->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (shown, 0), "“crashy” crashed|"));
  g_assert_nonnull (strstr (g_ptr_array_index (shown, 0), "signal 9"));

  /* The window (its application id on the bus) tells the user itself. */
  window_name = g_bus_own_name_on_connection (bus, APP_ID, G_BUS_NAME_OWNER_FLAGS_NONE,
                                              NULL, NULL, NULL, NULL);
  /* Let the engine see the new owner: a round trip after the name is taken. */
  g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                               "org.freedesktop.DBus", "GetId", NULL, NULL,
                               G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  hangar_dbus_machine1_call_read_log_sync (machine, 1, NULL, NULL, &error);
  g_assert_no_error (error);
  crash_and_wait (fixture, machine);
  g_assert_cmpuint (shown->len, ==, 1);

  g_bus_unown_name (window_name);
  g_bus_unown_name (server_name);
  g_dbus_connection_unregister_object (bus, object_id);
}

/* A start refused before QEMU runs says why, and the reason stays with the machine. */
static void
test_start_refused (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *disk = g_build_filename (fixture->data_dir, "gone.img", NULL);
  g_autofree char *device = g_strdup_printf ("<disk type='file' device='disk'><source file='%s'/>"
                                             "<target dev='vda'/></disk>", disk);
  g_autofree char *xml = hangar_test_guest_xml ("lost-disk", device);
  g_autofree char *short_xml = hangar_test_guest_xml ("deep", NULL);
  g_autofree char *long_dir = NULL;
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (disk, "", 0, NULL));
  machine = hangar_test_define (fixture, xml);
  g_assert_cmpint (g_unlink (disk), ==, 0);
  hangar_dbus_machine1_call_start_sync (machine, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND);
  g_clear_error (&error);
  hangar_test_wait_state_reason (machine, "shut-off", "failed", 5);
  g_assert_nonnull (strstr (hangar_dbus_machine1_get_last_error (machine), disk));
  g_clear_object (&machine);

  /* A runtime folder too deep for unix sockets is named, not left to QEMU. */
  hangar_test_engine_stop (fixture, SIGTERM);
  long_dir = g_strdup_printf ("%s/%0100d", fixture->runtime_dir, 0);
  g_assert_cmpint (g_mkdir_with_parents (long_dir, 0700), ==, 0);
  g_free (fixture->runtime_dir);
  fixture->runtime_dir = g_steal_pointer (&long_dir);
  hangar_test_engine_start (fixture);
  machine = hangar_test_define (fixture, short_xml);
  hangar_dbus_machine1_call_start_sync (machine, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "XDG_RUNTIME_DIR"));
}

/* ---- consoles ----------------------------------------------------------------- */

static char *
read_some (int    fd,
           gsize  wanted)
{
  char *buffer = g_malloc0 (wanted + 1);
  gsize got = 0;

  while (got < wanted)
    {
      ssize_t n = read (fd, buffer + got, wanted - got);
      if (n <= 0)
        break;
      got += n;
    }
  return buffer;
}

/* Writes @input, then reads until @expected shows; writes again every second. */
static gboolean
wait_for_output (int         fd,
                 const char *input,
                 const char *expected,
                 guint       timeout_s)
{
  g_autoptr(GString) seen = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;
  gint64 next_write = 0;

  while (g_get_monotonic_time () < deadline)
    {
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      char buffer[512];

      if (g_get_monotonic_time () >= next_write)
        {
          g_assert_cmpint (write (fd, input, strlen (input)), ==, (gssize) strlen (input));
          next_write = g_get_monotonic_time () + G_USEC_PER_SEC;
        }
      if (poll (&pfd, 1, 100) == 1)
        {
          ssize_t n = read (fd, buffer, sizeof buffer);

          if (n <= 0)
            g_error ("The console ended (%s) after: %s", n == 0 ? "end of stream" :
                     g_strerror (errno), seen->str);
          g_string_append_len (seen, buffer, n);
          if (strstr (seen->str, expected) != NULL)
            return TRUE;
        }
    }
  g_test_message ("console output: %s", seen->str);
  return FALSE;
}

static void
test_consoles (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("screens", "<graphics type='vnc'/>"
                                                "<graphics type='spice'/><video><model type='vga'/></video>");
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (fixture, xml);
  g_autoptr(GError) error = NULL;
  g_autofree char *greeting = NULL;
  static const char spice_link[] = "REDQ\2\0\0\0\2\0\0\0";
  int fd;

  hangar_test_start_and_wait_ready (fixture, machine);

  /* VNC: the server speaks first. */
  fd = hangar_test_open_console (machine, "vnc");
  greeting = read_some (fd, 12);
  g_assert_cmpstr (greeting, ==, "RFB 003.008\n");
  close (fd);

  /* SPICE: the client speaks first; a link message gets a "REDQ" reply. */
  fd = hangar_test_open_console (machine, "spice");
  {
    guint8 link[16 + 18] = { 0 };
    g_autofree char *reply = NULL;

    memcpy (link, spice_link, 12);
    link[12] = 18;                    /* size of the link message */
    link[16 + 4] = 1;                 /* channel type: main */
    link[16 + 14] = 18;               /* caps offset */
    g_assert_cmpint (write (fd, link, sizeof link), ==, sizeof link);
    reply = read_some (fd, 4);
    g_assert_cmpmem (reply, 4, "REDQ", 4);
  }
  close (fd);

  /* Serial: a shell answers on the port the ready line came from. Like a person,
   * press Enter until a prompt shows, then type. */
  fd = hangar_test_open_console (machine, "serial");
  g_assert_true (wait_for_output (fd, "\n", "# ", 30));
  g_assert_true (wait_for_output (fd, "echo hangar-$((6*7))\n", "hangar-42", 10));
  close (fd);
  {
    /* What the guest wrote is in the log too (QEMU logs right after the socket write). */
    hangar_test_wait_serial (fixture, machine, "hangar-42", 1, 5);
  }

  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_dbus_machine1_call_open_console_sync (machine, "vnc", NULL, NULL, NULL, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE);
}

/* Autostart: once per login session (runtime folder), not at every engine restart. */
static void
test_autostart (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("early-bird", NULL);
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (fixture, xml);
  g_autofree char *marker = g_build_filename (fixture->runtime_dir, "hangar", "autostarted", NULL);
  g_autoptr(GError) error = NULL;

  hangar_dbus_machine1_call_set_autostart_sync (machine, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&machine);
  hangar_test_engine_stop (fixture, SIGTERM);

  /* A restart in the same session starts nothing. */
  hangar_test_engine_start (fixture);
  machine = hangar_test_lookup (fixture, "early-bird");
  g_assert_cmpstr (hangar_dbus_machine1_get_state (machine), ==, "shut-off");
  g_clear_object (&machine);
  hangar_test_engine_stop (fixture, SIGTERM);

  /* A new session (fresh runtime folder) does. */
  g_assert_cmpint (g_unlink (marker), ==, 0);
  hangar_test_engine_start (fixture);
  machine = hangar_test_lookup (fixture, "early-bird");
  hangar_test_wait_state_reason (machine, "running", "autostart", 10);
  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_no_error (error);

  hangar_dbus_machine1_call_set_autostart_sync (machine, FALSE, NULL, &error);
  g_assert_no_error (error);
  {
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    /* The property follows the reply in an idle: wait for its signal. */
    while (hangar_dbus_machine1_get_autostart (machine) && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
    g_assert_false (hangar_dbus_machine1_get_autostart (machine));
  }
}

/* One engine per user: a second session-bus engine is refused by the lock, while
 * --stdio next to the running engine serves that engine's objects (it relays to
 * engine.sock) rather than failing. */
static void
test_single_engine (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_auto(GStrv) env = hangar_test_engine_environ (fixture);
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GSubprocess) peer = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GDBusObjectManager) manager = NULL;
  g_autoptr(GDBusObject) host_object = NULL;
  g_autoptr(HangarDBusHost1) host = NULL;
  g_autoptr(HangarDBusMachine1) on_bus = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *path = NULL;
  g_autofree char *xml = hangar_test_guest_xml ("through-the-socket", NULL);
  g_autofree char *socket_path = g_build_filename (fixture->runtime_dir, "hangar", "engine.sock",
                                                   NULL);
  GStatBuf st;

  g_subprocess_launcher_set_environ (launcher, env);
  second = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("HANGAR_ENGINE"), NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (second, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_false (g_subprocess_get_successful (second));
  g_assert_nonnull (strstr (err, "Another hangar-engine"));

  /* The running engine's socket: the user's alone. */
  g_assert_cmpint (g_stat (socket_path, &st), ==, 0);
  g_assert_true (S_ISSOCK (st.st_mode));
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  peer = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("HANGAR_ENGINE"), "--stdio",
                                      NULL);
  g_assert_no_error (error);
  stream = g_simple_io_stream_new (g_subprocess_get_stdout_pipe (peer),
                                   g_subprocess_get_stdin_pipe (peer));
  connection = g_dbus_connection_new_sync (stream, NULL,
                                           G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT,
                                           NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_set_exit_on_close (connection, FALSE);
  manager = hangar_dbus_object_manager_client_new_sync (connection,
                                                        G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_NONE,
                                                        NULL, ENGINE_OBJECT_PATH, NULL, &error);
  g_assert_no_error (error);
  host_object = g_dbus_object_manager_get_object (manager, ENGINE_OBJECT_PATH "/host");
  g_assert_nonnull (host_object);
  host = hangar_dbus_object_get_host1 (HANGAR_DBUS_OBJECT (host_object));

  /* A machine defined through the pipe is the bus engine's: one engine, two ways in. */
  hangar_dbus_host1_call_define_machine_sync (host, xml, &path, NULL, &error);
  g_assert_no_error (error);
  on_bus = hangar_test_lookup (fixture, "through-the-socket");
  g_assert_cmpstr (g_dbus_proxy_get_object_path (G_DBUS_PROXY (on_bus)), ==, path);

  /* Closing the pipe ends the relay; the bus engine and its socket stay. */
  g_dbus_connection_close_sync (connection, NULL, NULL);
  g_subprocess_wait (peer, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (peer));
  g_assert_nonnull (g_subprocess_get_identifier (fixture->engine));
  g_assert_true (g_file_test (socket_path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  hangar_dbus_host1_call_lookup_machine_sync (fixture->host, "through-the-socket", NULL, NULL,
                                              &error);
  g_assert_no_error (error);
}

/* --stdio with no engine running starts one and serves its objects peer to peer. */
static void
test_stdio (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_auto(GStrv) env = hangar_test_engine_environ (fixture);
  g_autoptr(GSubprocess) peer = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GDBusObjectManager) manager = NULL;
  g_autoptr(GDBusObject) host_object = NULL;
  g_autoptr(HangarDBusHost1) host = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *xml = hangar_test_guest_xml ("over-the-pipe", NULL);
  GList *objects;

  /* The bus engine holds the lock: the peer engine gets the machines only once it is gone. */
  hangar_test_engine_stop (fixture, SIGTERM);

  g_subprocess_launcher_set_environ (launcher, env);
  peer = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("HANGAR_ENGINE"), "--stdio", NULL);
  g_assert_no_error (error);
  stream = g_simple_io_stream_new (g_subprocess_get_stdout_pipe (peer),
                                   g_subprocess_get_stdin_pipe (peer));
  connection = g_dbus_connection_new_sync (stream, NULL,
                                           G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT,
                                           NULL, NULL, &error);
  g_assert_no_error (error);
  manager = hangar_dbus_object_manager_client_new_sync (connection,
                                                        G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_NONE,
                                                        NULL, ENGINE_OBJECT_PATH, NULL, &error);
  g_assert_no_error (error);
  host_object = g_dbus_object_manager_get_object (manager, ENGINE_OBJECT_PATH "/host");
  g_assert_nonnull (host_object);
  host = hangar_dbus_object_get_host1 (HANGAR_DBUS_OBJECT (host_object));
  g_assert_cmpstr (hangar_dbus_host1_get_default_accelerator (host), ==, "tcg");
  g_assert_true (g_str_has_prefix (hangar_dbus_host1_get_qemu_version (host), "7."));

  hangar_dbus_host1_call_define_machine_sync (host, xml, &path, NULL, &error);
  g_assert_no_error (error);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  objects = g_dbus_object_manager_get_objects (manager);
  g_assert_cmpuint (g_list_length (objects), ==, 2);
  g_list_free_full (objects, g_object_unref);

  /* Closing the pipe ends the relay, and the engine it started once that was its last
   * peer. */
  g_dbus_connection_close_sync (connection, NULL, NULL);
  g_subprocess_wait (peer, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (peer));
  {
    g_autofree char *lock = g_build_filename (fixture->runtime_dir, "hangar", "engine.lock",
                                              NULL);
    g_autofree char *text = NULL;
    GPid engine;

    g_assert_true (g_file_get_contents (lock, &text, NULL, NULL));
    engine = atoi (text);
    g_assert_cmpint (engine, >, 0);
    for (guint i = 0; i < 1000 && hangar_test_pid_alive (engine); i++)
      g_usleep (10000);
    g_assert_false (hangar_test_pid_alive (engine));
  }

  hangar_test_engine_start (fixture);
  g_clear_object (&host);
  host = g_object_ref (fixture->host);
  g_clear_pointer (&path, g_free);
  hangar_dbus_host1_call_lookup_machine_sync (host, "over-the-pipe", &path, NULL, &error);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/hangar/engine/lifecycle", test_lifecycle);
  ADD ("/hangar/engine/reboot-reset", test_reboot_reset);
  ADD ("/hangar/engine/restart", test_engine_restart);
  ADD ("/hangar/engine/crash", test_crash);
  ADD ("/hangar/engine/start-failure", test_start_failure);
  ADD ("/hangar/engine/start-refused", test_start_refused);
  ADD ("/hangar/engine/statistics", test_statistics);
  ADD ("/hangar/engine/notifications", test_notifications);
  ADD ("/hangar/engine/consoles", test_consoles);
  ADD ("/hangar/engine/autostart", test_autostart);
  ADD ("/hangar/engine/single-engine", test_single_engine);
  ADD ("/hangar/engine/stdio", test_stdio);
#undef ADD

  return g_test_run ();
}
