/* hangar-test-sshd.c: a real OpenSSH server for remote-host tests, and the remote user's engine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <glib/gstdio.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-test-engine.h"
#include "hangar-test-sshd.h"

#define SSHD "/usr/sbin/sshd"

/* Variables the remote engine takes from the test's environment: the sanitizers' and
 * GLib's settings, so that a remote engine fails a test as a local one does. */
static const char * const passed_variables[] = {
  "G_DEBUG", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "G_MESSAGES_DEBUG",
  "HANGAR_QEMU",
};

static void
run_or_die (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s\n%s", argv[0], error->message, err);
}

static void
keygen (const char *path)
{
  const char *argv[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "hangar-test",
                         "-f", path, NULL };

  run_or_die (argv);
}

static char *
read_public_key (const char *private_path)
{
  g_autofree char *path = g_strconcat (private_path, ".pub", NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return g_strstrip (text);
}

static void
write_file (const char *path,
            const char *contents,
            int         mode)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_NONE, mode, &error);
  g_assert_no_error (error);
}

/* A value for a POSIX shell in single quotes. */
static char *
shell_quote (const char *value)
{
  return g_shell_quote (value);
}

/**
 * hangar_test_sshd_set_remote_path:
 * @path: the remote sessions' PATH, e.g. "/usr/bin:/bin" for a host without hangar-engine
 *
 * Rewrites the ForceCommand wrapper: what the remote user's sessions run with. sshd reads
 * the script at each login, so the change applies to the next connection.
 */
void
hangar_test_sshd_set_remote_path (HangarTestSshd *sshd,
                                  const char     *path)
{
  g_autoptr(GString) script = g_string_new ("#!/bin/sh\n"
                                            "# The remote user of Hangar's test sshd: its own "
                                            "folders and engine.\n");
  g_autofree char *q_path = shell_quote (path);
  g_autofree char *q_config = shell_quote (sshd->remote_config_dir);
  g_autofree char *q_data = shell_quote (sshd->remote_data_dir);
  g_autofree char *q_runtime = shell_quote (sshd->remote_runtime_dir);

  g_string_append_printf (script, "export PATH=%s\n", q_path);
  g_string_append_printf (script, "export XDG_CONFIG_HOME=%s XDG_DATA_HOME=%s "
                          "XDG_RUNTIME_DIR=%s\n", q_config, q_data, q_runtime);
  g_string_append (script, "export HANGAR_ACCEL=tcg GSETTINGS_BACKEND=memory\n"
                           "unset DBUS_SESSION_BUS_ADDRESS\n");
  for (guint i = 0; i < G_N_ELEMENTS (passed_variables); i++)
    {
      const char *value = g_getenv (passed_variables[i]);
      g_autofree char *quoted = value ? shell_quote (value) : NULL;

      if (value != NULL)
        g_string_append_printf (script, "export %s=%s\n", passed_variables[i], quoted);
    }
  g_string_append (script, "if [ -z \"$SSH_ORIGINAL_COMMAND\" ]; then exec /bin/sh; fi\n"
                           "exec /bin/sh -c \"$SSH_ORIGINAL_COMMAND\"\n");
  write_file (sshd->wrapper, script->str, 0755);
}

static void
write_client_config (const char *path,
                     const char *identity,
                     const char *known_hosts)
{
  g_autofree char *config = g_strdup_printf (
    "# Hangar's test client: never the real ~/.ssh.\n"
    "Host *\n"
    "  IdentityFile %s\n"
    "  IdentitiesOnly yes\n"
    "  IdentityAgent none\n"
    "  UserKnownHostsFile %s\n"
    "  GlobalKnownHostsFile /dev/null\n"
    "  StrictHostKeyChecking yes\n"
    "  PasswordAuthentication no\n"
    "  KbdInteractiveAuthentication no\n"
    "  ConnectTimeout 10\n"
    "  LogLevel ERROR\n", identity, known_hosts);

  write_file (path, config, 0600);
}

static void
write_server_config (HangarTestSshd *sshd,
                     const char     *config_path,
                     const char     *host_key,
                     const char     *authorized_keys)
{
  g_autofree char *pid_file = g_build_filename (sshd->dir, "sshd.pid", NULL);
  g_autofree char *config = g_strdup_printf (
    "# Hangar's test sshd: 127.0.0.1 only, keys only, every session through the wrapper.\n"
    "ListenAddress 127.0.0.1:%u\n"
    "HostKey %s\n"
    "PidFile %s\n"
    "AuthorizedKeysFile %s\n"
    "AllowUsers %s\n"
    "PermitRootLogin prohibit-password\n"
    "PubkeyAuthentication yes\n"
    "PasswordAuthentication no\n"
    "KbdInteractiveAuthentication no\n"
    "UsePAM no\n"
    "StrictModes no\n"
    "PrintMotd no\n"
    "PrintLastLog no\n"
    "X11Forwarding no\n"
    "AllowTcpForwarding no\n"
    "PermitTunnel no\n"
    "MaxStartups 100\n"
    "MaxSessions 100\n"
    "LogLevel ERROR\n"
    "ForceCommand %s\n",
    sshd->port, host_key, pid_file, authorized_keys, sshd->user, sshd->wrapper);

  write_file (config_path, config, 0600);
}

/* A test that aborts must not leave sshd behind: it holds the test's stderr, and meson
 * would wait for it. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* sshd writes its pid file once it listens. */
static void
wait_listening (HangarTestSshd *sshd)
{
  g_autofree char *pid_file = g_build_filename (sshd->dir, "sshd.pid", NULL);

  for (guint i = 0; i < 1000; i++)
    {
      if (g_file_test (pid_file, G_FILE_TEST_EXISTS))
        return;
      if (g_subprocess_get_identifier (sshd->sshd) == NULL)
        g_error ("sshd ended before it listened (its stderr is above)");
      g_usleep (10000);
    }
  g_error ("sshd did not listen on 127.0.0.1:%u within 10 s", sshd->port);
}

/**
 * hangar_test_sshd_new:
 *
 * Starts the server. It stops in hangar_test_sshd_free(), which also stops the remote
 * user's engine and any QEMU that engine left running.
 */
HangarTestSshd *
hangar_test_sshd_new (void)
{
  g_autoptr(HangarTestSshd) sshd = g_new0 (HangarTestSshd, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *host_key = NULL;
  g_autofree char *authorized_keys = NULL;
  g_autofree char *client_public = NULL;
  g_autofree char *known = NULL;
  g_autofree char *server_config = NULL;
  g_autofree char *engine_dir = NULL;
  g_autofree char *remote_path = NULL;
  struct passwd *pw = getpwuid (getuid ());

  if (!g_file_test (SSHD, G_FILE_TEST_IS_EXECUTABLE))
    g_error (SSHD " is missing: install openssh-server (.ci/install-deps does)");
  g_assert_nonnull (pw);
  sshd->user = g_strdup (pw->pw_name);

  /* Short and under /tmp: the remote runtime folder holds QEMU's sockets. */
  sshd->dir = g_mkdtemp (g_strdup ("/tmp/hangar-sshd-XXXXXX"));
  g_assert_nonnull (sshd->dir);
  sshd->remote_config_dir = g_build_filename (sshd->dir, "config", NULL);
  sshd->remote_data_dir = g_build_filename (sshd->dir, "data", NULL);
  sshd->remote_runtime_dir = g_build_filename (sshd->dir, "run", NULL);
  g_assert_cmpint (g_mkdir_with_parents (sshd->remote_config_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (sshd->remote_data_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (sshd->remote_runtime_dir, 0700), ==, 0);

  /* sshd running as root keeps its privilege-separated children there. */
  if (getuid () == 0 && !g_file_test ("/run/sshd", G_FILE_TEST_IS_DIR))
    g_assert_cmpint (g_mkdir_with_parents ("/run/sshd", 0755), ==, 0);

  host_key = g_build_filename (sshd->dir, "ssh_host_ed25519_key", NULL);
  sshd->identity = g_build_filename (sshd->dir, "client_key", NULL);
  sshd->wrong_identity = g_build_filename (sshd->dir, "stranger_key", NULL);
  keygen (host_key);
  keygen (sshd->identity);
  keygen (sshd->wrong_identity);
  sshd->host_public_key = read_public_key (host_key);
  client_public = read_public_key (sshd->identity);

  authorized_keys = g_build_filename (sshd->dir, "authorized_keys", NULL);
  {
    g_autofree char *line = g_strconcat (client_public, "\n", NULL);
    write_file (authorized_keys, line, 0600);
  }

  sshd->port = hangar_test_free_port ();
  sshd->destination = g_strdup_printf ("%s@127.0.0.1", sshd->user);
  sshd->url = g_strdup_printf ("ssh://%s@127.0.0.1:%u", sshd->user, sshd->port);
  sshd->known_hosts = g_build_filename (sshd->dir, "known_hosts", NULL);
  known = g_strdup_printf ("[127.0.0.1]:%u %s\n", sshd->port, sshd->host_public_key);
  write_file (sshd->known_hosts, known, 0600);
  sshd->ssh_config = g_build_filename (sshd->dir, "ssh_config", NULL);
  write_client_config (sshd->ssh_config, sshd->identity, sshd->known_hosts);
  {
    /* A file that does not exist: ssh skips it, and no default identity is tried. */
    g_autofree char *none = g_build_filename (sshd->dir, "no-such-key", NULL);

    sshd->ssh_config_nokey = g_build_filename (sshd->dir, "ssh_config_nokey", NULL);
    write_client_config (sshd->ssh_config_nokey, none, sshd->known_hosts);
  }

  sshd->wrapper = g_build_filename (sshd->dir, "remote-session", NULL);
  engine_dir = g_path_get_dirname (g_getenv ("HANGAR_ENGINE"));
  remote_path = g_strdup_printf ("%s:/usr/local/bin:/usr/bin:/bin", engine_dir);
  hangar_test_sshd_set_remote_path (sshd, remote_path);

  server_config = g_build_filename (sshd->dir, "sshd_config", NULL);
  write_server_config (sshd, server_config, host_key, authorized_keys);

  {
    g_autoptr(GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);

    g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
    sshd->sshd = g_subprocess_launcher_spawn (launcher, &error, SSHD, "-D", "-e", "-f",
                                              server_config, NULL);
  }
  g_assert_no_error (error);
  wait_listening (sshd);
  return g_steal_pointer (&sshd);
}

/* The pid in the remote user's engine lock, or 0 when no remote engine runs. */
GPid
hangar_test_sshd_remote_engine_pid (HangarTestSshd *sshd)
{
  g_autofree char *lock = g_build_filename (sshd->remote_runtime_dir, "hangar", "engine.lock",
                                            NULL);
  g_autofree char *text = NULL;
  GPid pid;

  if (!g_file_get_contents (lock, &text, NULL, NULL))
    return 0;
  pid = atoi (text);
  return pid > 0 && hangar_test_pid_alive (pid) ? pid : 0;
}

char *
hangar_test_sshd_remote_serial_log (HangarTestSshd *sshd,
                                    const char     *uuid)
{
  return g_build_filename (sshd->remote_runtime_dir, "hangar", uuid, "serial0.log", NULL);
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

static void
stop_remote (HangarTestSshd *sshd)
{
  g_autofree char *root = g_build_filename (sshd->remote_runtime_dir, "hangar", NULL);
  g_autoptr(GDir) dir = NULL;
  const char *name;
  GPid engine = hangar_test_sshd_remote_engine_pid (sshd);

  if (engine > 0)
    {
      kill (engine, SIGTERM);
      for (guint i = 0; i < 500 && hangar_test_pid_alive (engine); i++)
        g_usleep (10000);
      if (hangar_test_pid_alive (engine))
        kill (engine, SIGKILL);
    }
  dir = g_dir_open (root, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *pid_path = g_build_filename (root, name, "qemu.pid", NULL);
      g_autofree char *text = NULL;

      if (g_file_get_contents (pid_path, &text, NULL, NULL) && atoi (text) > 0)
        kill (-atoi (text), SIGKILL);
    }
}

void
hangar_test_sshd_free (HangarTestSshd *sshd)
{
  if (sshd == NULL)
    return;
  if (sshd->sshd != NULL)
    {
      g_subprocess_send_signal (sshd->sshd, SIGTERM);
      g_subprocess_wait (sshd->sshd, NULL, NULL);
      g_clear_object (&sshd->sshd);
    }
  if (sshd->dir != NULL)
    {
      stop_remote (sshd);
      if (g_getenv ("HANGAR_TEST_KEEP") == NULL)
        remove_tree (sshd->dir);
    }
  g_free (sshd->dir);
  g_free (sshd->user);
  g_free (sshd->destination);
  g_free (sshd->url);
  g_free (sshd->ssh_config);
  g_free (sshd->ssh_config_nokey);
  g_free (sshd->identity);
  g_free (sshd->wrong_identity);
  g_free (sshd->known_hosts);
  g_free (sshd->host_public_key);
  g_free (sshd->wrapper);
  g_free (sshd->remote_config_dir);
  g_free (sshd->remote_data_dir);
  g_free (sshd->remote_runtime_dir);
  g_free (sshd);
}

/**
 * hangar_test_sshd_client_environ:
 *
 * The test's environment with HANGAR_SSH_CONFIG naming the harness's ssh_config, for
 * hangarctl and the UI.
 */
char **
hangar_test_sshd_client_environ (HangarTestSshd *sshd)
{
  char **env = g_get_environ ();

  return g_environ_setenv (env, "HANGAR_SSH_CONFIG", sshd->ssh_config, TRUE);
}

/**
 * hangar_test_sshd_ssh_argv:
 * @remote_command: what runs on the server, e.g. "hangar-engine --stdio"
 *
 * Returns: (transfer full): `ssh -F CONFIG -T -p PORT -o BatchMode=yes USER@127.0.0.1
 *   COMMAND`, NULL-terminated, its strings owned by the array.
 */
GPtrArray *
hangar_test_sshd_ssh_argv (HangarTestSshd *sshd,
                           const char     *remote_command)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, g_strdup ("ssh"));
  g_ptr_array_add (argv, g_strdup ("-F"));
  g_ptr_array_add (argv, g_strdup (sshd->ssh_config));
  g_ptr_array_add (argv, g_strdup ("-T"));
  g_ptr_array_add (argv, g_strdup ("-p"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", sshd->port));
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup ("BatchMode=yes"));
  g_ptr_array_add (argv, g_strdup (sshd->destination));
  g_ptr_array_add (argv, g_strdup (remote_command));
  g_ptr_array_add (argv, NULL);
  return argv;
}

/**
 * hangar_test_sshd_connect:
 * @out_ssh: (out) (optional): the ssh process carrying the connection
 *
 * Runs `hangar-engine --stdio` over SSH and returns the peer-to-peer D-Bus connection
 * to the remote user's engine.
 */
GDBusConnection *
hangar_test_sshd_connect (HangarTestSshd  *sshd,
                          GSubprocess    **out_ssh)
{
  g_autoptr(GPtrArray) argv = hangar_test_sshd_ssh_argv (sshd, "hangar-engine --stdio");
  g_autoptr(GSubprocess) ssh = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection;

  ssh = g_subprocess_newv ((const char * const *) argv->pdata,
                           G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  stream = g_simple_io_stream_new (g_subprocess_get_stdout_pipe (ssh),
                                   g_subprocess_get_stdin_pipe (ssh));
  connection = g_dbus_connection_new_sync (stream, NULL,
                                           G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT,
                                           NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_set_exit_on_close (connection, FALSE);
  if (out_ssh != NULL)
    *out_ssh = g_steal_pointer (&ssh);
  return connection;
}

/**
 * hangar_test_sshd_define:
 * @out_manager: (out) (optional): the object manager the machine's proxy comes from
 *
 * Defines @xml (e.g. hangar_test_guest_xml()) on the remote engine over @connection.
 */
HangarDBusMachine1 *
hangar_test_sshd_define (HangarTestSshd      *sshd,
                         GDBusConnection     *connection,
                         GDBusObjectManager **out_manager,
                         const char          *xml)
{
  g_autoptr(GDBusObjectManager) manager = NULL;
  g_autoptr(GDBusObject) host_object = NULL;
  g_autoptr(GDBusObject) object = NULL;
  g_autoptr(HangarDBusHost1) host = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  HangarDBusMachine1 *machine;

  manager = hangar_dbus_object_manager_client_new_sync (connection,
                                                        G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_NONE,
                                                        NULL, ENGINE_OBJECT_PATH, NULL, &error);
  g_assert_no_error (error);
  host_object = g_dbus_object_manager_get_object (manager, ENGINE_OBJECT_PATH "/host");
  g_assert_nonnull (host_object);
  host = hangar_dbus_object_get_host1 (HANGAR_DBUS_OBJECT (host_object));
  hangar_dbus_host1_call_define_machine_sync (host, xml, &path, NULL, &error);
  g_assert_no_error (error);
  /* The engine announces the object before it replies. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  object = g_dbus_object_manager_get_object (manager, path);
  g_assert_nonnull (object);
  machine = hangar_dbus_object_get_machine1 (HANGAR_DBUS_OBJECT (object));
  /* The manager brings the proxy's property changes: it lives as long as the proxy. */
  g_object_set_data_full (G_OBJECT (machine), "hangar-test-manager", g_object_ref (manager),
                          g_object_unref);
  if (out_manager != NULL)
    *out_manager = g_steal_pointer (&manager);
  return machine;
}
