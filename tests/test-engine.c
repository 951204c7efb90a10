/* test-engine.c: a real engine on a private bus running the tiny guest under QEMU
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

#define READY "HANGAR-GUEST-READY"
#define BOOT_TIMEOUT 60

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

static void
start_and_wait_ready (Fixture            *fixture,
                      HangarDBusMachine1 *machine)
{
  g_autoptr(GError) error = NULL;

  hangar_dbus_machine1_call_start_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state (machine, "running", 5);
  hangar_test_wait_serial (fixture, machine, READY, 1, BOOT_TIMEOUT);
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
  start_and_wait_ready (fixture, machine);
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

  start_and_wait_ready (fixture, machine);
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

  start_and_wait_ready (fixture, a);
  start_and_wait_ready (fixture, b);
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

  start_and_wait_ready (fixture, machine);
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

  start_and_wait_ready (fixture, machine);
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

/* ---- bad input ----------------------------------------------------------------- */

static void
assert_define_fails (Fixture    *fixture,
                     const char *xml,
                     HangarError code,
                     const char *message_part)
{
  g_autofree char *machines = g_build_filename (fixture->config_dir, "hangar", "machines", NULL);
  guint before = hangar_test_count_files (machines);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_assert_false (hangar_dbus_host1_call_define_machine_sync (fixture->host, xml, &path,
                                                              NULL, &error));
  g_assert_error (error, HANGAR_ERROR, (gint) code);
  if (message_part != NULL && strstr (error->message, message_part) == NULL)
    g_error ("“%s” is not in the error “%s”", message_part, error->message);
  /* Nothing written, nothing left behind. */
  g_assert_cmpuint (hangar_test_count_files (machines), ==, before);
}

static char *
replace (const char *text,
         const char *from,
         const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, -1);

  g_assert_cmpuint (g_strv_length (parts), >, 1);
  return g_strjoinv (to, parts);
}

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *good = hangar_test_guest_xml ("taken", NULL);
  g_autofree char *malformed = replace (good, "</vcpu>", "</vcpux>");
  g_autofree char *duplicate = g_strdup (good);
  g_autofree char *missing_disk = hangar_test_guest_xml ("no-disk",
    "<disk type='file' device='disk'><source file='/nonexistent/hangar/disk.qcow2'/>"
    "<driver name='qemu' type='qcow2'/><target dev='vda' bus='virtio'/></disk>");
  g_autofree char *newline = hangar_test_guest_xml ("two\nlines", NULL);
  g_autofree char *zero_memory = replace (good, "<memory unit='MiB'>128</memory>",
                                          "<memory unit='MiB'>0</memory>");
  g_autofree char *huge_memory = replace (good, "<memory unit='MiB'>128</memory>",
                                          "<memory unit='TiB'>10</memory>");
  g_autofree char *host_memory = replace (good, "<memory unit='MiB'>128</memory>",
                                          "<memory unit='GiB'>1000</memory>");
  g_autofree char *unknown_device = hangar_test_guest_xml ("gadget",
                                                           "<hostdev mode='subsystem'/>");
  g_autofree char *unknown_bus = hangar_test_guest_xml ("odd-bus",
    "<disk type='file' device='cdrom'><target dev='fda' bus='floppy'/></disk>");
  g_autofree char *bad_uuid = replace (good, "<name>", "<uuid>not-a-uuid</uuid><name>");
  g_autofree char *empty_name = replace (good, "<name>taken</name>", "<name></name>");
  g_autofree char *future_machine = replace (good, "machine='pc'", "machine='pc-q35-99.0'");
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (fixture, good);
  g_autoptr(GError) error = NULL;

  assert_define_fails (fixture, malformed, HANGAR_ERROR_INVALID_CONFIG, "line 4");
  assert_define_fails (fixture, "", HANGAR_ERROR_INVALID_CONFIG, NULL);
  assert_define_fails (fixture, "<network/>", HANGAR_ERROR_INVALID_CONFIG, "<network>");
  assert_define_fails (fixture, duplicate, HANGAR_ERROR_ALREADY_EXISTS, "taken");
  assert_define_fails (fixture, missing_disk, HANGAR_ERROR_NOT_FOUND,
                       "/nonexistent/hangar/disk.qcow2");
  assert_define_fails (fixture, newline, HANGAR_ERROR_INVALID_CONFIG, "line break");
  assert_define_fails (fixture, zero_memory, HANGAR_ERROR_INVALID_CONFIG, "at least 1 MiB");
  assert_define_fails (fixture, huge_memory, HANGAR_ERROR_INVALID_CONFIG, "memory");
  assert_define_fails (fixture, host_memory, HANGAR_ERROR_INVALID_CONFIG, "more than this host");
  assert_define_fails (fixture, unknown_device, HANGAR_ERROR_NOT_SUPPORTED, "<hostdev>");
  assert_define_fails (fixture, unknown_bus, HANGAR_ERROR_NOT_SUPPORTED, "floppy");
  assert_define_fails (fixture, bad_uuid, HANGAR_ERROR_INVALID_CONFIG, "not-a-uuid");
  assert_define_fails (fixture, empty_name, HANGAR_ERROR_INVALID_CONFIG, "<name>");
  assert_define_fails (fixture, future_machine, HANGAR_ERROR_NOT_SUPPORTED, "pc-q35-99.0");

  /* A machine in the wrong state. */
  hangar_dbus_machine1_call_shutdown_sync (machine, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE);
  g_clear_error (&error);
  hangar_dbus_machine1_call_resume_sync (machine, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE);
  g_clear_error (&error);
  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE);
  g_clear_error (&error);
  hangar_dbus_machine1_call_delete_sync (machine, 2, NULL, NULL, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  start_and_wait_ready (fixture, machine);
  hangar_dbus_machine1_call_start_sync (machine, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE);
  g_assert_nonnull (strstr (error->message, "already running"));
  g_clear_error (&error);
  hangar_dbus_machine1_call_delete_sync (machine, 0, NULL, NULL, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE);
  g_clear_error (&error);
  hangar_dbus_machine1_call_pause_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state (machine, "paused", 5);
  hangar_dbus_machine1_call_shutdown_sync (machine, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE);
  g_assert_nonnull (strstr (error->message, "resume it first"));
  g_clear_error (&error);
  hangar_dbus_machine1_call_open_console_sync (machine, "telnet", NULL, NULL, NULL, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  hangar_dbus_machine1_call_open_console_sync (machine, "spice", NULL, NULL, NULL, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND);
  g_clear_error (&error);

  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_dbus_machine1_call_delete_sync (machine, 0, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
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
  hangar_dbus_host1_call_set_statistics_interval_sync (fixture->host, 250, NULL, &error);
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

/* Deleting with its disk images never takes an image another machine uses. */
static void
test_delete_images (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *own = g_build_filename (fixture->data_dir, "own.img", NULL);
  g_autofree char *shared = g_build_filename (fixture->data_dir, "shared.img", NULL);
  g_autofree char *iso = g_build_filename (fixture->data_dir, "install.iso", NULL);
  g_autofree char *devices_a = g_strdup_printf (
    "<disk type='file' device='disk'><source file='%s'/><target dev='vda'/></disk>"
    "<disk type='file' device='disk'><source file='%s'/><target dev='vdb'/></disk>"
    "<disk type='file' device='cdrom'><source file='%s'/><target dev='sda' bus='sata'/></disk>",
    own, shared, iso);
  g_autofree char *devices_b = g_strdup_printf (
    "<disk type='file' device='disk'><source file='%s/../data/shared.img'/>"
    "<target dev='vda'/></disk>", fixture->data_dir);
  g_autofree char *xml_a = NULL;
  g_autofree char *xml_b = NULL;
  g_autoptr(HangarDBusMachine1) a = NULL;
  g_autoptr(HangarDBusMachine1) b = NULL;
  g_auto(GStrv) deleted = NULL;
  g_auto(GStrv) kept = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *images;

  g_assert_true (g_file_set_contents (own, "own", -1, NULL));
  g_assert_true (g_file_set_contents (shared, "shared", -1, NULL));
  g_assert_true (g_file_set_contents (iso, "iso", -1, NULL));
  xml_a = hangar_test_guest_xml ("owner", devices_a);
  xml_b = hangar_test_guest_xml ("sharer", devices_b);
  a = hangar_test_define (fixture, xml_a);
  b = hangar_test_define (fixture, xml_b);

  /* The hard disks, not the CD-ROM image. */
  images = hangar_dbus_machine1_get_disk_images (a);
  g_assert_cmpuint (g_strv_length ((char **) images), ==, 2);
  g_assert_cmpstr (images[0], ==, own);
  g_assert_cmpstr (images[1], ==, shared);

  hangar_dbus_machine1_call_delete_sync (a, 1, &deleted, &kept, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (deleted), ==, 1);
  g_assert_cmpstr (deleted[0], ==, own);
  g_assert_cmpuint (g_strv_length (kept), ==, 1);
  g_assert_cmpstr (kept[0], ==, shared);
  g_assert_false (g_file_test (own, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (shared, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (iso, G_FILE_TEST_EXISTS));

  /* The last user may take it; without the flag nothing but the definition goes. */
  g_clear_pointer (&deleted, g_strfreev);
  g_clear_pointer (&kept, g_strfreev);
  hangar_dbus_machine1_call_delete_sync (b, 0, &deleted, &kept, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (deleted), ==, 0);
  g_assert_true (g_file_test (shared, G_FILE_TEST_EXISTS));
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

/* Commas, quotes and slashes in a name reach QEMU as the name and nothing more. */
static void
test_hostile_names (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *names[] = { "a,file=/etc/passwd", "it's \"quoted\", isn't it", "slash/name" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *xml = hangar_test_guest_xml (names[i], NULL);
      g_autoptr(HangarDBusMachine1) machine = hangar_test_define (fixture, xml);
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) pieces = g_strsplit (names[i], ",", -1);
      g_autofree char *escaped = g_strjoinv (",,", pieces);
      g_autofree char *expected = g_strdup_printf ("guest=%s,debug-threads=on", escaped);
      g_autofree char *cmdline_path = NULL;
      g_autofree char *cmdline = NULL;
      gboolean seen = FALSE;
      gsize length;

      g_assert_cmpstr (hangar_dbus_machine1_get_name (machine), ==, names[i]);
      start_and_wait_ready (fixture, machine);
      cmdline_path = g_strdup_printf ("/proc/%u/cmdline", hangar_dbus_machine1_get_pid (machine));
      g_assert_true (g_file_get_contents (cmdline_path, &cmdline, &length, NULL));
      /* The name stands in -name only, with its commas doubled, so QEMU reads one value. */
      for (gsize at = 0; at < length; at += strlen (cmdline + at) + 1)
        {
          if (g_str_equal (cmdline + at, "-name"))
            {
              g_assert_cmpstr (cmdline + at + strlen ("-name") + 1, ==, expected);
              seen = TRUE;
            }
          else if (strstr (cmdline + at, "/etc/passwd") != NULL)
            g_assert_cmpstr (cmdline + at, ==, expected);
        }
      g_assert_true (seen);
      hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
      g_assert_no_error (error);
    }
}

/* ---- consoles ----------------------------------------------------------------- */

static int
open_console (HangarDBusMachine1 *machine,
              const char         *kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUnixFDList) fds = NULL;
  g_autoptr(GVariant) handle = NULL;
  int fd;

  hangar_dbus_machine1_call_open_console_sync (machine, kind, NULL, &handle, &fds, NULL, &error);
  g_assert_no_error (error);
  fd = g_unix_fd_list_get (fds, g_variant_get_handle (handle), &error);
  g_assert_no_error (error);
  return fd;
}

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

  start_and_wait_ready (fixture, machine);

  /* VNC: the server speaks first. */
  fd = open_console (machine, "vnc");
  greeting = read_some (fd, 12);
  g_assert_cmpstr (greeting, ==, "RFB 003.008\n");
  close (fd);

  /* SPICE: the client speaks first; a link message gets a "REDQ" reply. */
  fd = open_console (machine, "spice");
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
  fd = open_console (machine, "serial");
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

/* ---- definitions on disk ----------------------------------------------------------- */

static void
test_persistence (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("keeper", NULL);
  g_autofree char *with_unknown = replace (xml, "</features>",
                                           "</features>\n  <pm><suspend-to-disk enabled='no'/></pm>\n"
                                           "  <metadata><h:note xmlns:h='urn:hangar-test'>kept</h:note>"
                                           "</metadata>");
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (fixture, with_unknown);
  g_autofree char *machines = g_build_filename (fixture->config_dir, "hangar", "machines", NULL);
  g_autofree char *broken = g_build_filename (machines, "0b0b0b0b-0000-4000-8000-000000000000.xml",
                                              NULL);
  g_autofree char *broken_after = NULL;
  g_autofree char *dumped = NULL;
  g_autoptr(GVariant) broken_list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = hangar_dbus_machine1_dup_uuid (machine);

  g_assert_true (g_uuid_string_is_valid (uuid));
  g_assert_true (g_file_set_contents (broken, "<domain type='kvm'><name>half", -1, NULL));
  hangar_dbus_machine1_call_set_autostart_sync (machine, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&machine);

  hangar_test_engine_stop (fixture, SIGTERM);
  hangar_test_engine_start (fixture);

  machine = hangar_test_lookup (fixture, uuid);
  g_assert_cmpstr (hangar_dbus_machine1_get_name (machine), ==, "keeper");
  g_assert_true (hangar_dbus_machine1_get_autostart (machine));
  hangar_dbus_machine1_call_get_xml_sync (machine, &dumped, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (dumped, "<suspend-to-disk enabled=\"no\"/>"));
  g_assert_nonnull (strstr (dumped, "kept</h:note>"));
  g_assert_nonnull (strstr (dumped, uuid));

  /* The broken file is reported and left as it was. */
  broken_list = hangar_dbus_host1_dup_broken_definitions (fixture->host);
  g_assert_cmpuint (g_variant_n_children (broken_list), ==, 1);
  g_assert_true (g_file_get_contents (broken, &broken_after, NULL, NULL));
  g_assert_cmpstr (broken_after, ==, "<domain type='kvm'><name>half");

  /* Redefining with the same UUID updates in place. */
  {
    g_autofree char *renamed = replace (dumped, "<name>keeper</name>", "<name>kept-renamed</name>");
    g_autoptr(HangarDBusMachine1) again = hangar_test_define (fixture, renamed);

    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    g_assert_cmpstr (hangar_dbus_machine1_get_uuid (again), ==, uuid);
    while (g_strcmp0 (hangar_dbus_machine1_get_name (again), "kept-renamed") != 0 &&
           g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
    g_assert_cmpstr (hangar_dbus_machine1_get_name (again), ==, "kept-renamed");
  }
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

/* One engine per user: a second one refuses to manage the same machines. */
static void
test_single_engine (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_auto(GStrv) env = hangar_test_engine_environ (fixture);
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  g_subprocess_launcher_set_environ (launcher, env);
  second = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("HANGAR_ENGINE"), "--stdio",
                                        NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (second, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_false (g_subprocess_get_successful (second));
  g_assert_nonnull (strstr (err, "Another hangar-engine"));
}

/* --stdio serves the same objects peer to peer. */
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

  /* Closing the pipe ends the peer engine. */
  g_dbus_connection_close_sync (connection, NULL, NULL);
  g_subprocess_wait (peer, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (peer));

  hangar_test_engine_start (fixture);
  g_clear_object (&host);
  host = g_object_ref (fixture->host);
  g_clear_pointer (&path, g_free);
  hangar_dbus_host1_call_lookup_machine_sync (host, "over-the-pipe", &path, NULL, &error);
  g_assert_no_error (error);
}

/* ---- hangarctl ------------------------------------------------------------------- */

static void
test_hangarctl (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("cli", NULL);
  g_autofree char *file = g_build_filename (fixture->root, "cli.xml", NULL);
  g_autofree char *bad_file = g_build_filename (fixture->root, "bad.xml", NULL);
  const char *verbs[] = { "list", "define", "undefine", "start", "shutdown", "destroy", "reboot",
                          "reset", "suspend", "resume", "autostart", "dumpxml", "dominfo",
                          "domstate", "capabilities" };
  char *out = NULL, *err = NULL;

  g_assert_true (g_file_set_contents (file, xml, -1, NULL));
  g_assert_true (g_file_set_contents (bad_file, "<domain", -1, NULL));

#define CTL(expected, ...) \
  G_STMT_START { \
    g_clear_pointer (&out, g_free); \
    g_clear_pointer (&err, g_free); \
    g_assert_cmpint (hangar_test_run_ctl (fixture, &out, &err, __VA_ARGS__, NULL), ==, expected); \
  } G_STMT_END

  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    {
      CTL (0, verbs[i], "--help");
      g_assert_nonnull (strstr (out, verbs[i]));
    }
  CTL (0, "--help");
  CTL (2, "frobnicate");
  CTL (2, "start");
  CTL (2, "list", "--everything");

  CTL (0, "define", file);
  g_assert_nonnull (strstr (out, "cli"));
  CTL (1, "define", bad_file);
  g_assert_nonnull (strstr (err, "[InvalidConfig]"));
  g_assert_nonnull (strstr (err, "line"));
  CTL (1, "define", "/nonexistent.xml");

  CTL (0, "list");
  g_assert_null (strstr (out, "cli"));
  CTL (0, "list", "--all");
  g_assert_nonnull (strstr (out, "cli"));
  g_assert_nonnull (strstr (out, "shut off"));
  CTL (0, "domstate", "cli");
  g_assert_cmpstr (out, ==, "shut off\n");

  CTL (0, "start", "cli");
  CTL (1, "start", "cli");
  g_assert_nonnull (strstr (err, "[InvalidState]"));
  CTL (0, "list");
  g_assert_nonnull (strstr (out, "running"));
  CTL (0, "domstate", "cli", "--reason");
  g_assert_cmpstr (out, ==, "running (booted)\n");
  CTL (0, "dominfo", "cli");
  g_assert_nonnull (strstr (out, "QEMU pid:"));
  CTL (0, "dumpxml", "cli");
  g_assert_nonnull (strstr (out, "<name>cli</name>"));
  CTL (0, "suspend", "cli");
  CTL (0, "resume", "cli");
  CTL (0, "autostart", "cli");
  CTL (0, "autostart", "cli", "--disable");
  CTL (0, "capabilities");
  g_assert_nonnull (strstr (out, "tcg"));

  CTL (1, "undefine", "cli");
  CTL (0, "destroy", "cli");
  CTL (1, "destroy", "cli");
  CTL (1, "start", "nonesuch");
  g_assert_nonnull (strstr (err, "[NotFound]"));
  CTL (2, "undefine", "cli", "--remove-everything");
  CTL (0, "undefine", "cli", "--remove-all-storage");
  g_assert_nonnull (strstr (out, "has been undefined"));
  CTL (0, "list", "--all");
  g_assert_null (strstr (out, "cli"));
#undef CTL
  g_free (out);
  g_free (err);
}

/* The whole path a user takes by hand: define, start, ACPI shutdown and wait. */
static void
test_hangarctl_shutdown_wait (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("by-hand", NULL);
  g_autofree char *file = g_build_filename (fixture->root, "by-hand.xml", NULL);
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autofree char *out = NULL;

  g_assert_true (g_file_set_contents (file, xml, -1, NULL));
  g_assert_cmpint (hangar_test_run_ctl (fixture, NULL, NULL, "define", file, NULL), ==, 0);
  g_assert_cmpint (hangar_test_run_ctl (fixture, NULL, NULL, "start", "by-hand", NULL), ==, 0);
  machine = hangar_test_lookup (fixture, "by-hand");
  hangar_test_wait_serial (fixture, machine, READY, 1, BOOT_TIMEOUT);
  g_assert_cmpint (hangar_test_run_ctl (fixture, &out, NULL, "shutdown", "by-hand", "--wait",
                                        "--timeout=30", NULL), ==, 0);
  g_assert_cmpint (hangar_test_run_ctl (fixture, NULL, NULL, "domstate", "by-hand", NULL), ==, 0);
  hangar_test_wait_state (machine, "shut-off", 5);
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
  ADD ("/hangar/engine/bad-input", test_bad_input);
  ADD ("/hangar/engine/start-refused", test_start_refused);
  ADD ("/hangar/engine/delete-images", test_delete_images);
  ADD ("/hangar/engine/statistics", test_statistics);
  ADD ("/hangar/engine/notifications", test_notifications);
  ADD ("/hangar/engine/hostile-names", test_hostile_names);
  ADD ("/hangar/engine/consoles", test_consoles);
  ADD ("/hangar/engine/persistence", test_persistence);
  ADD ("/hangar/engine/autostart", test_autostart);
  ADD ("/hangar/engine/single-engine", test_single_engine);
  ADD ("/hangar/engine/stdio", test_stdio);
  ADD ("/hangar/engine/hangarctl", test_hangarctl);
  ADD ("/hangar/engine/hangarctl-shutdown-wait", test_hangarctl_shutdown_wait);
#undef ADD

  return g_test_run ();
}
