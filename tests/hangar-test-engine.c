/* hangar-test-engine.c: a real hangar-engine for a test, on the test's private bus
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <gio/gunixfdlist.h>

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-test-engine.h"

static const char *
build_path (const char *variable)
{
  const char *value = g_getenv (variable);

  if (value == NULL)
    g_error ("%s is not set; run the test through meson", variable);
  return value;
}

void
hangar_test_engine_setup (HangarTestEngine *fixture)
{
  g_autoptr(GError) error = NULL;
  /* Under the build folder: a real disk, where O_DIRECT works, unlike tmpfs. */
  g_autofree char *template = g_build_filename (build_path ("HANGAR_TEST_TMPDIR"),
                                                "engine-XXXXXX", NULL);

  hangar_error_quark ();
  g_mkdir_with_parents (build_path ("HANGAR_TEST_TMPDIR"), 0700);
  fixture->root = g_mkdtemp (g_steal_pointer (&template));
  g_assert_nonnull (fixture->root);
  fixture->config_dir = g_build_filename (fixture->root, "config", NULL);
  /* Not under the build folder: a clone in a deep folder would leave
   * QEMU's sockets no room in sockaddr_un, which the engine refuses. */
  fixture->runtime_root = g_mkdtemp (g_strdup ("/tmp/hangar-run-XXXXXX"));
  g_assert_nonnull (fixture->runtime_root);
  fixture->runtime_dir = g_build_filename (fixture->runtime_root, "run", NULL);
  fixture->data_dir = g_build_filename (fixture->root, "data", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fixture->config_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (fixture->runtime_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (fixture->data_dir, 0700), ==, 0);
  hangar_test_engine_start (fixture);
}

char **
hangar_test_engine_environ (HangarTestEngine *fixture)
{
  char **env = g_get_environ ();

  env = g_environ_setenv (env, "XDG_CONFIG_HOME", fixture->config_dir, TRUE);
  env = g_environ_setenv (env, "XDG_RUNTIME_DIR", fixture->runtime_dir, TRUE);
  env = g_environ_setenv (env, "XDG_DATA_HOME", fixture->data_dir, TRUE);
  env = g_environ_setenv (env, "HANGAR_ACCEL", "tcg", TRUE);
  return env;
}

static void
on_name_appeared (GDBusConnection *connection,
                  const char      *name,
                  const char      *owner,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
on_name_vanished (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  *(gboolean *) user_data = FALSE;
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_for_name (gboolean owned,
               guint    timeout_s)
{
  gboolean present = !owned;
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add_seconds (timeout_s, on_timeout, &timed_out);
  guint watch = g_bus_watch_name (G_BUS_TYPE_SESSION, ENGINE_BUS_NAME,
                                  G_BUS_NAME_WATCHER_FLAGS_NONE,
                                  on_name_appeared, on_name_vanished, &present, NULL);

  /* The first callback tells the current state; wait until it is the one wanted. */
  while (present != owned && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_bus_unwatch_name (watch);
  if (!timed_out)
    g_source_remove (timeout);
  if (present != owned)
    g_error ("The engine did not %s the bus name within %u s", owned ? "take" : "release",
             timeout_s);
}

void
hangar_test_engine_start (HangarTestEngine *fixture)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_auto(GStrv) env = hangar_test_engine_environ (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusObject) host = NULL;

  g_assert_null (fixture->engine);
  g_subprocess_launcher_set_environ (launcher, env);
  fixture->engine = g_subprocess_launcher_spawn (launcher, &error,
                                                 build_path ("HANGAR_ENGINE"), NULL);
  g_assert_no_error (error);
  wait_for_name (TRUE, 20);

  fixture->manager = hangar_dbus_object_manager_client_new_for_bus_sync (
    G_BUS_TYPE_SESSION, G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_DO_NOT_AUTO_START,
    ENGINE_BUS_NAME, ENGINE_OBJECT_PATH, NULL, &error);
  g_assert_no_error (error);
  host = g_dbus_object_manager_get_object (fixture->manager, ENGINE_OBJECT_PATH "/host");
  g_assert_nonnull (host);
  fixture->host = hangar_dbus_object_get_host1 (HANGAR_DBUS_OBJECT (host));
}

static void
kill_leftover_qemu (HangarTestEngine *fixture)
{
  g_autofree char *root = g_build_filename (fixture->runtime_dir, "hangar", NULL);
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *pid_path = g_build_filename (root, name, "qemu.pid", NULL);
      g_autofree char *text = NULL;

      if (g_file_get_contents (pid_path, &text, NULL, NULL) && atoi (text) > 0)
        kill (-atoi (text), SIGKILL);
    }
}

/* Stops the engine with @signal_number (SIGTERM: clean; SIGKILL: a crash). QEMU runs on.
 * Unless killed, the engine must end with status 0: a sanitizer report fails the test. */
void
hangar_test_engine_stop (HangarTestEngine *fixture,
                         int               signal_number)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->host);
  g_clear_object (&fixture->manager);
  if (fixture->engine == NULL)
    return;
  g_subprocess_send_signal (fixture->engine, signal_number);
  g_subprocess_wait (fixture->engine, NULL, &error);
  g_assert_no_error (error);
  /* Asked to stop, the engine ends with 0. Anything else is a failure the test must show:
   * under ASan, LeakSanitizer's report at exit (on stderr, above) makes the status non-zero
   * and an ASan/UBSan error aborts. */
  if (signal_number != SIGKILL &&
      (g_subprocess_get_if_signaled (fixture->engine) ||
       g_subprocess_get_exit_status (fixture->engine) != 0))
    {
      /* The test ends here: its machines must not outlive it. */
      kill_leftover_qemu (fixture);
      if (g_subprocess_get_if_signaled (fixture->engine))
        g_error ("hangar-engine died of signal %d when asked to stop (a sanitizer error? "
                 "its stderr is above)", g_subprocess_get_term_sig (fixture->engine));
      if (g_subprocess_get_exit_status (fixture->engine) != 0)
        g_error ("hangar-engine exited with status %d when asked to stop (a LeakSanitizer "
                 "report? its stderr is above)", g_subprocess_get_exit_status (fixture->engine));
    }
  g_clear_object (&fixture->engine);
  wait_for_name (FALSE, 20);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
hangar_test_engine_teardown (HangarTestEngine *fixture)
{
  hangar_test_engine_stop (fixture, SIGTERM);
  kill_leftover_qemu (fixture);
  if (g_getenv ("HANGAR_TEST_KEEP") == NULL)
    {
      remove_tree (fixture->root);
      remove_tree (fixture->runtime_root);
    }
  g_free (fixture->root);
  g_free (fixture->runtime_root);
  g_free (fixture->config_dir);
  g_free (fixture->runtime_dir);
  g_free (fixture->data_dir);
}

/* ---- machines --------------------------------------------------------------- */

/**
 * hangar_test_guest_xml:
 * @extra_devices: (nullable): more XML inside <devices>
 *
 * A definition of the tiny guest: direct kernel boot, a serial console whose log
 * shows HANGAR-GUEST-READY once userspace runs, ACPI so the power button works.
 */
char *
hangar_test_guest_xml (const char *name,
                       const char *extra_devices)
{
  const char *guest = build_path ("HANGAR_TEST_GUEST_DIR");
  g_autofree char *escaped = g_markup_escape_text (name, -1);

  return g_strdup_printf (
    "<domain type='kvm'>\n"
    "  <name>%s</name>\n"
    "  <memory unit='MiB'>128</memory>\n"
    "  <vcpu>1</vcpu>\n"
    "  <os>\n"
    "    <type arch='x86_64' machine='pc'>hvm</type>\n"
    "    <kernel>%s/vmlinuz</kernel>\n"
    "    <initrd>%s/initramfs.img</initrd>\n"
    "    <cmdline>console=ttyS0 quiet panic=-1</cmdline>\n"
    "  </os>\n"
    "  <features><acpi/><apic/></features>\n"
    "  <devices>\n"
    "    <serial type='pty'/>\n"
    "    %s\n"
    "  </devices>\n"
    "</domain>\n", escaped, guest, guest, extra_devices ? extra_devices : "");
}

static HangarDBusMachine1 *
machine_at (HangarTestEngine *fixture,
            const char       *path)
{
  g_autoptr(GDBusObject) object = NULL;

  /* The engine announces objects before it replies: let the client catch up. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  object = g_dbus_object_manager_get_object (fixture->manager, path);
  g_assert_nonnull (object);
  return hangar_dbus_object_get_machine1 (HANGAR_DBUS_OBJECT (object));
}

HangarDBusMachine1 *
hangar_test_define (HangarTestEngine *fixture,
                    const char       *xml)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  hangar_dbus_host1_call_define_machine_sync (fixture->host, xml, &path, NULL, &error);
  g_assert_no_error (error);
  return machine_at (fixture, path);
}

HangarDBusMachine1 *
hangar_test_lookup (HangarTestEngine *fixture,
                    const char       *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  hangar_dbus_host1_call_lookup_machine_sync (fixture->host, name, &path, NULL, &error);
  g_assert_no_error (error);
  return machine_at (fixture, path);
}

/* Waits until the machine is in @state, and for a @reason too unless it is NULL. */
void
hangar_test_wait_state_reason (HangarDBusMachine1 *machine,
                               const char         *state,
                               const char         *reason,
                               guint               timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (g_strcmp0 (hangar_dbus_machine1_get_state (machine), state) != 0 ||
         (reason != NULL && g_strcmp0 (hangar_dbus_machine1_get_state_reason (machine), reason) != 0))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("“%s” is %s (%s), not %s (%s), after %u s; last error: %s",
                 hangar_dbus_machine1_get_name (machine),
                 hangar_dbus_machine1_get_state (machine),
                 hangar_dbus_machine1_get_state_reason (machine), state,
                 reason ? reason : "any reason", timeout_s,
                 hangar_dbus_machine1_get_last_error (machine));
      /* Property changes arrive as signals on this context. */
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (5000);
    }
}

void
hangar_test_wait_state (HangarDBusMachine1 *machine,
                        const char         *state,
                        guint               timeout_s)
{
  hangar_test_wait_state_reason (machine, state, NULL, timeout_s);
}

char *
hangar_test_serial_log_path (HangarTestEngine   *fixture,
                             HangarDBusMachine1 *machine)
{
  return g_build_filename (fixture->runtime_dir, "hangar",
                           hangar_dbus_machine1_get_uuid (machine), "serial0.log", NULL);
}

static guint
count_occurrences (const char *haystack,
                   const char *needle)
{
  guint count = 0;

  for (const char *p = haystack; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    count++;
  return count;
}

/* Waits until @text stands @count times in the machine's serial log. */
void
hangar_test_wait_serial (HangarTestEngine   *fixture,
                         HangarDBusMachine1 *machine,
                         const char         *text,
                         guint               count,
                         guint               timeout_s)
{
  g_autofree char *path = hangar_test_serial_log_path (fixture, machine);
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *contents = NULL;

      if (g_file_get_contents (path, &contents, NULL, NULL) &&
          count_occurrences (contents, text) >= count)
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("“%s” not seen %u times in %s after %u s; the log holds:\n%s",
                 text, count, path, timeout_s, contents ? contents : "(nothing)");
      g_usleep (20000);
    }
}

/* Starts the machine and waits for the guest's ready line. */
void
hangar_test_start_and_wait_ready (HangarTestEngine   *fixture,
                                  HangarDBusMachine1 *machine)
{
  g_autoptr(GError) error = NULL;

  hangar_dbus_machine1_call_start_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state (machine, "running", 5);
  hangar_test_wait_serial (fixture, machine, HANGAR_TEST_READY, 1, HANGAR_TEST_BOOT_TIMEOUT);
}

gboolean
hangar_test_pid_alive (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  const char *state;

  /* A zombie waits for a slow reaper here; it has ended all the same. */
  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return FALSE;
  state = strrchr (stat, ')');
  return state != NULL && state[1] == ' ' && state[2] != 'Z' && state[2] != 'X';
}

guint
hangar_test_count_files (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  guint count = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    count++;
  return count;
}

/* The path of one of the tiny guest's files: vmlinuz, initramfs.img, tiny.iso, ... */
char *
hangar_test_guest_file (const char *name)
{
  return g_build_filename (build_path ("HANGAR_TEST_GUEST_DIR"), name, NULL);
}

void
hangar_test_copy_file (const char *from,
                       const char *to)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) destination = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;

  g_file_copy (source, destination, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

HangarDBusJob1 *
hangar_test_job_at (HangarTestEngine *fixture,
                    const char       *path)
{
  g_autoptr(GDBusObject) object = NULL;

  while (g_main_context_iteration (NULL, FALSE))
    ;
  object = g_dbus_object_manager_get_object (fixture->manager, path);
  g_assert_nonnull (object);
  return hangar_dbus_object_get_job1 (HANGAR_DBUS_OBJECT (object));
}

/* Waits for the job to end; returns how many distinct progress values it showed. */
guint
hangar_test_wait_job (HangarDBusJob1 *job,
                      guint           timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;
  double last = -1;
  guint changes = 0;

  while (g_str_equal (hangar_dbus_job1_get_state (job), "running"))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (hangar_dbus_job1_get_progress (job) != last)
        changes++, last = hangar_dbus_job1_get_progress (job);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  return changes;
}

/* Host1.CreateMachine; returns the new machine, or NULL with @error set. */
HangarDBusMachine1 *
hangar_test_create_machine (HangarTestEngine  *fixture,
                            GVariant          *options,
                            GError           **error)
{
  g_autofree char *path = NULL;

  if (!hangar_dbus_host1_call_create_machine_sync (fixture->host, options, &path, NULL, error))
    return NULL;
  return machine_at (fixture, path);
}

/* Host1.CreateVolume of a raw image of @size bytes at @path; returns once it is made. */
void
hangar_test_make_volume (HangarTestEngine *fixture,
                         const char       *path,
                         guint64           size)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *job_path = NULL;
  g_autoptr(HangarDBusJob1) job = NULL;

  g_variant_dict_insert (&dict, "path", "s", path);
  g_variant_dict_insert (&dict, "format", "s", "raw");
  g_variant_dict_insert (&dict, "size", "t", size);
  hangar_dbus_host1_call_create_volume_sync (fixture->host, g_variant_dict_end (&dict),
                                             &job_path, NULL, &error);
  g_assert_no_error (error);
  job = hangar_test_job_at (fixture, job_path);
  hangar_test_wait_job (job, 60);
  g_assert_cmpstr (hangar_dbus_job1_get_state (job), ==, "completed");
}

/* A TCP port on 127.0.0.1 that nothing listens on (bound, then let go). */
guint
hangar_test_free_port (void)
{
  g_autoptr(GSocket) probe = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_nonnull (probe);
  g_assert_true (g_socket_bind (probe, any, FALSE, NULL));
  bound = g_socket_get_local_address (probe, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* `python3 -m http.server` serving @folder on 127.0.0.1:@port, once it accepts connections.
 * Stop it with g_subprocess_force_exit(). */
GSubprocess *
hangar_test_http_server (const char *folder,
                         guint       port)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autoptr(GError) error = NULL;
  GSubprocess *server;

  g_subprocess_launcher_set_cwd (launcher, folder);
  server = g_subprocess_launcher_spawn (launcher, &error, "python3", "-m", "http.server",
                                        "--bind", "127.0.0.1", port_text, NULL);
  g_assert_no_error (error);
  for (guint i = 0; i < 400; i++)
    {
      g_autoptr(GSocketConnection) connection = NULL;

      g_clear_error (&error);
      connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
      if (connection != NULL)
        return server;
      g_usleep (25000);
    }
  g_error ("The HTTP server on port %u did not listen within 10 s: %s", port, error->message);
}

/* Runs hangarctl with @args (NULL-terminated) in the fixture's environment; returns its
 * exit status. */
int
hangar_test_run_ctlv (HangarTestEngine   *fixture,
                      char              **out,
                      char              **err,
                      const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = hangar_test_engine_environ (fixture);
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) build_path ("HANGARCTL"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  /* Output nobody asked for must not reach the test's stdout: that is the TAP stream. */
  g_spawn_sync (NULL, (char **) argv->pdata, env,
                (out == NULL ? G_SPAWN_STDOUT_TO_DEV_NULL : 0) |
                (err == NULL ? G_SPAWN_STDERR_TO_DEV_NULL : 0),
                NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

/* Runs hangarctl with the fixture's environment; returns its exit status. */
int
hangar_test_run_ctl (HangarTestEngine  *fixture,
                     char             **out,
                     char             **err,
                     const char        *first_arg,
                     ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return hangar_test_run_ctlv (fixture, out, err, (const char * const *) args->pdata);
}

/**
 * hangar_test_open_console:
 * @kind: "vnc", "spice" or "serial"
 *
 * Returns: a connected fd to the machine's console, from Machine1.OpenConsole.
 */
int
hangar_test_open_console (HangarDBusMachine1 *machine,
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
