/* hangarctl.c: a command-line client of hangar-engine, with virsh-like verbs
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Exit status: 0 done, 1 the engine refused or failed (its message is printed),
 * 2 the command line is wrong.
 */
#define G_LOG_DOMAIN "hangarctl"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "hangar-dbus.h"
#include "hangar-error.h"

#include "hangarctl-private.h"

/* The one connection of this run, for messages that name the remote host. */
static Ctl *the_ctl;

int
hangarctl_print_error (const GError *error)
{
  g_autoptr(GError) dropped = the_ctl ? hangarctl_remote_dropped (the_ctl, error) : NULL;
  g_autofree char *remote = NULL;
  const char *name = NULL;

  if (dropped != NULL)
    error = dropped;
  remote = g_dbus_error_get_remote_error (error);

  if (error->domain == HANGAR_ERROR)
    name = hangar_error_to_name (error->code);
  else if (remote != NULL)
    name = remote;
  g_dbus_error_strip_remote_error ((GError *) error);
  g_printerr (_("error: %s"), error->message);
  if (name != NULL)
    g_printerr (" [%s]", name);
  g_printerr ("\n");
  return EXIT_FAILED;
}

int
hangarctl_usage_error (const char *verb,
                       const char *message)
{
  g_printerr ("hangarctl %s: %s\n", verb, message);
  g_printerr (_("Try “hangarctl %s --help”.\n"), verb);
  return EXIT_USAGE;
}

/* ---- finding machines ---------------------------------------------------------- */

static HangarDBusMachine1 *
machine_from_object (GDBusObject *object)
{
  return hangar_dbus_object_get_machine1 (HANGAR_DBUS_OBJECT (object));
}

static GPtrArray *
all_machines (Ctl *ctl)
{
  GPtrArray *machines = g_ptr_array_new_with_free_func (g_object_unref);
  GList *objects = g_dbus_object_manager_get_objects (ctl->manager);

  for (GList *l = objects; l != NULL; l = l->next)
    {
      HangarDBusMachine1 *machine = machine_from_object (l->data);
      if (machine != NULL)
        g_ptr_array_add (machines, machine);
    }
  g_list_free_full (objects, g_object_unref);
  return machines;
}

HangarDBusMachine1 *
hangarctl_find_machine (Ctl         *ctl,
                        const char  *name_or_uuid,
                        GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GDBusObject) object = NULL;

  if (!hangar_dbus_host1_call_lookup_machine_sync (ctl->host, name_or_uuid, &path, NULL, error))
    return NULL;
  object = g_dbus_object_manager_get_object (ctl->manager, path);
  if (object == NULL)
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND,
                   _("The machine “%s” went away."), name_or_uuid);
      return NULL;
    }
  return machine_from_object (object);
}

static const char *
state_label (const char *state)
{
  if (g_str_equal (state, "shut-off"))
    return _("shut off");
  if (g_str_equal (state, "shutting-down"))
    return _("shutting down");
  if (g_str_equal (state, "running"))
    return _("running");
  if (g_str_equal (state, "paused"))
    return _("paused");
  if (g_str_equal (state, "starting"))
    return _("starting");
  if (g_str_equal (state, "crashed"))
    return _("crashed");
  return state;
}

/* ---- verbs ----------------------------------------------------------------------- */

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  HangarDBusMachine1 *ma = *(HangarDBusMachine1 **) a;
  HangarDBusMachine1 *mb = *(HangarDBusMachine1 **) b;

  return g_utf8_collate (hangar_dbus_machine1_get_name (ma), hangar_dbus_machine1_get_name (mb));
}

static int
verb_list (Ctl        *ctl,
           const Verb *verb,
           int         argc,
           char      **argv)
{
  g_autoptr(GPtrArray) machines = all_machines (ctl);
  gboolean all = argc > 1 && g_str_equal (argv[1], "--all");
  g_autoptr(GString) out = g_string_new (NULL);

  if (argc > 2 || (argc == 2 && !all))
    return hangarctl_usage_error ("list", _("the only option is --all"));

  g_ptr_array_sort (machines, compare_names);
  g_string_append_printf (out, " %-30s %-14s %5s %12s\n", _("Name"), _("State"), _("CPUs"),
                          _("Memory"));
  g_string_append (out, "-------------------------------------------------------------------\n");
  for (guint i = 0; i < machines->len; i++)
    {
      HangarDBusMachine1 *machine = g_ptr_array_index (machines, i);
      const char *state = hangar_dbus_machine1_get_state (machine);
      g_autofree char *memory = NULL;

      if (!all && g_str_equal (state, "shut-off"))
        continue;
      memory = g_format_size_full (hangar_dbus_machine1_get_memory_kib (machine) * 1024,
                                   G_FORMAT_SIZE_IEC_UNITS);
      g_string_append_printf (out, " %-30s %-14s %5u %12s\n",
                              hangar_dbus_machine1_get_name (machine), state_label (state),
                              hangar_dbus_machine1_get_vcpus (machine), memory);
    }
  fputs (out->str, stdout);
  return 0;
}

static int
verb_define (Ctl        *ctl,
             const Verb *verb,
             int         argc,
             char      **argv)
{
  g_autofree char *xml = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusObject) object = NULL;
  g_autoptr(HangarDBusMachine1) machine = NULL;

  if (argc != 2)
    return hangarctl_usage_error ("define", _("give one XML file"));
  if (!g_file_get_contents (argv[1], &xml, NULL, &error))
    return hangarctl_print_error (error);
  if (!hangar_dbus_host1_call_define_machine_sync (ctl->host, xml, &path, NULL, &error))
    return hangarctl_print_error (error);
  /* The engine announced the object before it replied: dispatch that announcement. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  object = g_dbus_object_manager_get_object (ctl->manager, path);
  machine = object ? machine_from_object (object) : NULL;
  g_print (_("Machine %s defined from %s\n"),
           machine ? hangar_dbus_machine1_get_name (machine) : path, argv[1]);
  return 0;
}

static gboolean
on_wait_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_for_state (HangarDBusMachine1  *machine,
                const char          *state,
                guint                timeout_s,
                GError             **error)
{
  GDBusConnection *connection = g_dbus_proxy_get_connection (G_DBUS_PROXY (machine));
  gboolean timed_out = FALSE, ended = FALSE;
  guint timeout = g_timeout_add_seconds (timeout_s, on_wait_timeout, &timed_out);
  gulong closed = g_signal_connect_swapped (connection, "closed", G_CALLBACK (on_wait_timeout),
                                            &ended);

  /* Property changes arrive as signals: run the main context until the state is reached,
   * or the connection (to a remote engine) ends. */
  while (!g_str_equal (hangar_dbus_machine1_get_state (machine), state) && !timed_out &&
         !ended && !g_dbus_connection_is_closed (connection))
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (connection, closed);
  if (!timed_out)
    g_source_remove (timeout);
  if (g_dbus_connection_is_closed (connection))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                           _("The connection is closed"));
      return FALSE;
    }
  if (!g_str_equal (hangar_dbus_machine1_get_state (machine), state))
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_FAILED,
                   _("“%s” is still %s after %u seconds."),
                   hangar_dbus_machine1_get_name (machine),
                   state_label (hangar_dbus_machine1_get_state (machine)), timeout_s);
      return FALSE;
    }
  return TRUE;
}

static int
run_simple (Ctl        *ctl,
            const Verb *verb,
            int         argc,
            char      **argv)
{
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;
  const char *target = NULL;
  gboolean wait = FALSE;
  guint timeout_s = 120;

  for (int i = 1; i < argc; i++)
    {
      if (verb->wait_state != NULL && g_str_equal (argv[i], "--wait"))
        wait = TRUE;
      else if (verb->wait_state != NULL && g_str_has_prefix (argv[i], "--timeout="))
        timeout_s = MAX (1, atoi (argv[i] + strlen ("--timeout=")));
      else if (argv[i][0] == '-' && argv[i][1] == '-')
        return hangarctl_usage_error (argv[0], _("unknown option"));
      else if (target == NULL)
        target = argv[i];
      else
        return hangarctl_usage_error (argv[0], _("give one machine"));
    }
  if (target == NULL)
    return hangarctl_usage_error (argv[0], _("give a machine name or UUID"));

  machine = hangarctl_find_machine (ctl, target, &error);
  if (machine == NULL || !verb->call (machine, NULL, &error))
    return hangarctl_print_error (error);
  if (wait && !wait_for_state (machine, verb->wait_state, timeout_s, &error))
    return hangarctl_print_error (error);
  /* Every done_format is a literal of this file with one %s. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  g_print (_(verb->done_format), hangar_dbus_machine1_get_name (machine));
#pragma GCC diagnostic pop
  g_print ("\n");
  return 0;
}

/* MACHINE [FLAG], in any order. Returns the usage error to print, or NULL. */
static const char *
parse_machine_and_flag (int          argc,
                        char       **argv,
                        const char  *flag,
                        const char **target,
                        gboolean    *flag_set)
{
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], flag))
        *flag_set = TRUE;
      else if (argv[i][0] == '-' && argv[i][1] == '-')
        return _("unknown option");
      else if (*target == NULL)
        *target = argv[i];
      else
        return _("give one machine");
    }
  return *target == NULL ? _("give a machine name or UUID") : NULL;
}

static int
verb_undefine (Ctl        *ctl,
               const Verb *verb,
               int         argc,
               char      **argv)
{
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) deleted = NULL;
  g_auto(GStrv) kept = NULL;
  gboolean storage = FALSE;
  const char *target = NULL;
  const char *problem;

  if ((problem = parse_machine_and_flag (argc, argv, "--remove-all-storage", &target, &storage)))
    return hangarctl_usage_error (verb->name, problem);

  machine = hangarctl_find_machine (ctl, target, &error);
  if (machine == NULL ||
      !hangar_dbus_machine1_call_delete_sync (machine, storage ? 1 : 0, &deleted, &kept, NULL,
                                              &error))
    return hangarctl_print_error (error);
  for (guint i = 0; deleted[i] != NULL; i++)
    g_print (_("Deleted the disk image %s\n"), deleted[i]);
  for (guint i = 0; kept[i] != NULL; i++)
    g_print (_("Kept the disk image %s: another machine uses it\n"), kept[i]);
  g_print (_("Machine %s has been undefined\n"), hangar_dbus_machine1_get_name (machine));
  return 0;
}

static int
verb_autostart (Ctl        *ctl,
                const Verb *verb,
                int         argc,
                char      **argv)
{
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;
  gboolean disable = FALSE;
  const char *target = NULL;
  const char *problem;

  if ((problem = parse_machine_and_flag (argc, argv, "--disable", &target, &disable)))
    return hangarctl_usage_error (verb->name, problem);

  machine = hangarctl_find_machine (ctl, target, &error);
  if (machine == NULL ||
      !hangar_dbus_machine1_call_set_autostart_sync (machine, !disable, NULL, &error))
    return hangarctl_print_error (error);
  g_print (disable ? _("Machine %s will no longer start with the engine\n") :
                     _("Machine %s will start with the engine\n"),
           hangar_dbus_machine1_get_name (machine));
  return 0;
}

static HangarDBusMachine1 *
one_machine (Ctl         *ctl,
             int          argc,
             char       **argv,
             GError     **error)
{
  for (int i = 1; i < argc; i++)
    if (argv[i][0] != '-')
      return hangarctl_find_machine (ctl, argv[i], error);
  g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
               _("Give a machine name or UUID."));
  return NULL;
}

static int
verb_dumpxml (Ctl        *ctl,
              const Verb *verb,
              int         argc,
              char      **argv)
{
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;

  if (argc != 2)
    return hangarctl_usage_error ("dumpxml", _("give one machine"));
  machine = one_machine (ctl, argc, argv, &error);
  if (machine == NULL || !hangar_dbus_machine1_call_get_xml_sync (machine, &xml, NULL, &error))
    return hangarctl_print_error (error);
  fputs (xml, stdout);
  return 0;
}

static int
verb_monitor (Ctl        *ctl,
              const Verb *verb,
              int         argc,
              char      **argv)
{
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;

  if (argc != 3)
    return hangarctl_usage_error (verb->name, _("give a machine and a QMP command as JSON"));
  machine = hangarctl_find_machine (ctl, argv[1], &error);
  if (machine == NULL ||
      !hangar_dbus_machine1_call_monitor_command_sync (machine, argv[2], &reply, NULL, &error))
    return hangarctl_print_error (error);
  g_print ("%s\n", reply);
  return 0;
}

static int
verb_guestinfo (Ctl        *ctl,
                const Verb *verb,
                int         argc,
                char      **argv)
{
  static const char * const keys[][2] = {
    { "hostname", N_("Host name:") }, { "os-name", N_("OS:") },
    { "kernel-release", N_("Kernel:") },
  };
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) info = NULL;
  g_autoptr(GVariantIter) interfaces = NULL;
  const char *name;
  char **addresses;

  if (argc != 2)
    return hangarctl_usage_error (verb->name, _("give one machine"));
  machine = hangarctl_find_machine (ctl, argv[1], &error);
  if (machine == NULL ||
      !hangar_dbus_machine1_call_get_guest_info_sync (machine, &info, NULL, &error))
    return hangarctl_print_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *value;
      if (g_variant_lookup (info, keys[i][0], "&s", &value))
        g_print ("%-16s%s\n", _(keys[i][1]), value);
    }
  if (g_variant_lookup (info, "interfaces", "a(sas)", &interfaces))
    while (g_variant_iter_loop (interfaces, "(&s^a&s)", &name, &addresses))
      {
        g_autofree char *joined = g_strjoinv (" ", addresses);
        g_print ("%-16s%s %s\n", _("Interface:"), name, joined);
      }
  return 0;
}

static int
verb_domstate (Ctl        *ctl,
               const Verb *verb,
               int         argc,
               char      **argv)
{
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;
  gboolean reason = argc > 2 && g_strv_contains ((const char * const *) argv, "--reason");

  if (argc < 2 || argc > 3 || (argc == 3 && !reason))
    return hangarctl_usage_error ("domstate", _("give one machine, and --reason if wanted"));
  machine = one_machine (ctl, argc, argv, &error);
  if (machine == NULL)
    return hangarctl_print_error (error);
  if (reason)
    g_print ("%s (%s)\n", state_label (hangar_dbus_machine1_get_state (machine)),
             hangar_dbus_machine1_get_state_reason (machine));
  else
    g_print ("%s\n", state_label (hangar_dbus_machine1_get_state (machine)));
  return 0;
}

static int
verb_dominfo (Ctl        *ctl,
              const Verb *verb,
              int         argc,
              char      **argv)
{
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;
  const char *last_error;

  if (argc != 2)
    return hangarctl_usage_error ("dominfo", _("give one machine"));
  machine = one_machine (ctl, argc, argv, &error);
  if (machine == NULL)
    return hangarctl_print_error (error);

  g_print ("%-16s%s\n", _("Name:"), hangar_dbus_machine1_get_name (machine));
  g_print ("%-16s%s\n", _("UUID:"), hangar_dbus_machine1_get_uuid (machine));
  g_print ("%-16s%s\n", _("Title:"), hangar_dbus_machine1_get_title (machine));
  g_print ("%-16s%s (%s)\n", _("State:"), state_label (hangar_dbus_machine1_get_state (machine)),
           hangar_dbus_machine1_get_state_reason (machine));
  g_print ("%-16s%u\n", _("CPU(s):"), hangar_dbus_machine1_get_vcpus (machine));
  g_print ("%-16s%" G_GUINT64_FORMAT " KiB\n", _("Max memory:"),
           hangar_dbus_machine1_get_memory_kib (machine));
  g_print ("%-16s%s\n", _("Autostart:"),
           hangar_dbus_machine1_get_autostart (machine) ? _("enable") : _("disable"));
  if (hangar_dbus_machine1_get_pid (machine) > 0)
    {
      const char * const *pending = hangar_dbus_machine1_get_pending_changes (machine);

      g_print ("%-16s%u\n", _("QEMU pid:"), hangar_dbus_machine1_get_pid (machine));
      g_print ("%-16s%s\n", _("Accelerator:"), hangar_dbus_machine1_get_accelerator (machine));
      for (guint i = 0; pending != NULL && pending[i] != NULL; i++)
        g_print ("%-16s%s\n", i == 0 ? _("Pending:") : "", pending[i]);
    }
  last_error = hangar_dbus_machine1_get_last_error (machine);
  if (last_error != NULL && *last_error != '\0')
    g_print ("%-16s%s\n", _("Last error:"), last_error);
  return 0;
}

static int
verb_capabilities (Ctl        *ctl,
                   const Verb *verb,
                   int         argc,
                   char      **argv)
{
  g_autofree char *accels = g_strjoinv (", ", (char **) hangar_dbus_host1_get_accelerators (ctl->host));
  g_autofree char *memory = g_format_size_full (hangar_dbus_host1_get_host_memory_kib (ctl->host) * 1024,
                                                G_FORMAT_SIZE_IEC_UNITS);
  const char * const *types = hangar_dbus_host1_get_machine_types (ctl->host);
  g_autofree char *joined = g_strjoinv (" ", (char **) types);

  if (argc != 1)
    return hangarctl_usage_error ("capabilities", _("takes no arguments"));
  g_print ("%-22s%s\n", _("Host:"), hangar_dbus_host1_get_hostname (ctl->host));
  g_print ("%-22s%s\n", _("Engine version:"), hangar_dbus_host1_get_engine_version (ctl->host));
  g_print ("%-22s%s (%s)\n", _("QEMU:"), hangar_dbus_host1_get_qemu_version (ctl->host),
           hangar_dbus_host1_get_qemu_binary (ctl->host));
  g_print ("%-22s%s\n", _("Accelerators:"), accels);
  g_print ("%-22s%s\n", _("Default accelerator:"),
           hangar_dbus_host1_get_default_accelerator (ctl->host));
  g_print ("%-22s%u\n", _("Host CPUs:"), hangar_dbus_host1_get_host_cpus (ctl->host));
  g_print ("%-22s%s\n", _("Host memory:"), memory);
  g_print ("%-22s%s\n", _("Machine types:"), joined);
  return 0;
}

static const Verb verbs[] = {
  { "list", "[--all]", N_("List running machines, or all with --all"), verb_list },
  { "define", "FILE", N_("Define a machine from libvirt domain XML, or update it"), verb_define },
  { "undefine", "MACHINE [--remove-all-storage]",
    N_("Remove a shut-off machine's definition, and with --remove-all-storage its disk "
       "images that no other machine uses"), verb_undefine },
  { "start", "MACHINE", N_("Start a machine"),
    run_simple, hangar_dbus_machine1_call_start_sync, N_("Machine %s started") },
  { "shutdown", "MACHINE [--wait] [--timeout=SECONDS]",
    N_("Ask the guest to power off (ACPI); --wait until it has"),
    run_simple, hangar_dbus_machine1_call_shutdown_sync, N_("Machine %s is being shut down"),
    "shut-off" },
  { "destroy", "MACHINE", N_("Force a machine off at once"),
    run_simple, hangar_dbus_machine1_call_force_off_sync, N_("Machine %s destroyed") },
  { "reboot", "MACHINE", N_("Ask the guest to restart (ACPI)"),
    run_simple, hangar_dbus_machine1_call_reboot_sync, N_("Machine %s is being rebooted") },
  { "reset", "MACHINE", N_("Press the reset button"),
    run_simple, hangar_dbus_machine1_call_reset_sync, N_("Machine %s was reset") },
  { "suspend", "MACHINE", N_("Pause a running machine"),
    run_simple, hangar_dbus_machine1_call_pause_sync, N_("Machine %s suspended") },
  { "resume", "MACHINE", N_("Resume a paused machine"),
    run_simple, hangar_dbus_machine1_call_resume_sync, N_("Machine %s resumed") },
  { "autostart", "MACHINE [--disable]", N_("Start the machine with the engine, or stop doing so"),
    verb_autostart },
  { "dumpxml", "MACHINE", N_("Print the definition as libvirt domain XML"), verb_dumpxml },
  { "guestinfo", "MACHINE", N_("Show what the guest agent says: host name, OS, addresses"),
    verb_guestinfo },
  { "qemu-monitor-command", "MACHINE JSON",
    N_("Send one QMP command to the running QEMU, for debugging; the engine does not "
       "follow what it changes"), verb_monitor },
  { "update", "MACHINE FILE",
    N_("Replace a machine's definition; a running machine takes what it can at once"),
    hangarctl_edit },
  { "attach-device", "MACHINE FILE",
    N_("Add the device in FILE (<disk>, <interface>, ...), to a running machine too"),
    hangarctl_edit },
  { "detach-device", "MACHINE FILE",
    N_("Remove the device FILE names (a disk by target, a NIC by MAC)"), hangarctl_edit },
  { "dominfo", "MACHINE", N_("Show a machine's state and resources"), verb_dominfo },
  { "domstate", "MACHINE [--reason]", N_("Print a machine's state"), verb_domstate },
  { "capabilities", "", N_("Show what the host and its QEMU can do"), verb_capabilities },
  { "create", "--name NAME [--os OS_ID|SHORT_ID] [--memory MIB] [--vcpus N]\n"
              "    (--cdrom PATH | --location URL [--extra-args ARGS] | --pxe |\n"
              "     --import PATH [--convert] | --kernel PATH [--initrd PATH] [--cmdline ARGS])\n"
              "    [--disk PATH | --disk-size GIB [--preallocation off|metadata|falloc|full] |\n"
              "     --no-disk] [--firmware bios|uefi|uefi-secure] [--network user|none] [--start]",
    N_("Create a machine as the create-VM wizard does, installing from a CD-ROM image or a "
       "host CD/DVD drive (--cdrom /dev/sr0), an "
       "install tree, the network or a kernel, or importing a disk image. The OS is the one "
       "the media hold unless --os says; an install gets a new disk of the OS’s size unless "
       "--disk, --disk-size or --no-disk says"),
    hangarctl_create, .check = hangarctl_check_create },
  { "os-list", "[QUERY]", N_("Search the catalogue of operating systems"), hangarctl_os_list,
    .check = hangarctl_check_os_list },
  { "console", "MACHINE [vnc|spice|serial]",
    N_("Join the machine's console (serial unless told) to standard input and output; "
       "with --connect, through hangar-engine --console on that host"),
    hangarctl_console, .check = hangarctl_check_console },
  { "identify", "PATH|URL",
    N_("Tell what an ISO image, a disc in a drive, a disk image or an install tree (URL) "
       "holds"), hangarctl_identify,
    .check = hangarctl_check_identify },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "%s", _("Usage: hangarctl [--connect ssh://[USER@]HOST[:PORT] [--identity KEY]] "
                        "VERB [ARGUMENTS]\n\n"
                        "Manages the virtual machines of hangar-engine on the session bus, or\n"
                        "with --connect those of another host over SSH (ssh -T … hangar-engine\n"
                        "--stdio; HANGAR_SSH_CONFIG names an ssh_config to use with -F).\n"
                        "MACHINE is a name or a UUID.\n\nVerbs:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    fprintf (out, "  %-14s %s\n", verbs[i].name, _(verbs[i].summary));
  fprintf (out, "%s", _("\nRun “hangarctl VERB --help” for a verb’s arguments.\n"));
}

static int
run_verb (Ctl                *ctl,
          GDBusObjectManager *manager,
          GDBusObject        *host_object,
          const Verb         *verb,
          int                 argc,
          char              **argv)
{
  int status;

  ctl->manager = manager;
  ctl->host = hangar_dbus_object_get_host1 (HANGAR_DBUS_OBJECT (host_object));
  status = verb->run (ctl, verb, argc - 1, argv + 1);
  g_clear_object (&ctl->host);
  ctl->manager = NULL;
  return status;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusObjectManager) manager = NULL;
  g_autoptr(GDBusObject) host_object = NULL;
  const Verb *verb = NULL;
  Ctl ctl = { 0 };
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Global options, before the verb. */
  while (argc >= 3 && (g_str_equal (argv[1], "--connect") || g_str_equal (argv[1], "--identity")))
    {
      if (g_str_equal (argv[1], "--connect"))
        {
          g_clear_pointer (&ctl.remote, hangar_remote_address_free);
          ctl.remote = hangar_remote_address_parse (argv[2], &error);
          if (ctl.remote == NULL)
            return hangarctl_usage_error ("--connect", error->message);
        }
      else
        {
          g_free (ctl.identity);
          ctl.identity = g_strdup (argv[2]);
        }
      argv[2] = argv[0];
      argv += 2;
      argc -= 2;
    }
  if (argc >= 2 && (g_str_equal (argv[1], "--connect") || g_str_equal (argv[1], "--identity")))
    return hangarctl_usage_error (argv[1], _("give a value"));
  if (ctl.identity != NULL && ctl.remote == NULL)
    return hangarctl_usage_error ("--identity", _("goes with --connect"));

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? EXIT_USAGE : 0;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("hangarctl %s\n", PACKAGE_VERSION);
      return 0;
    }

  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    if (g_str_equal (verbs[i].name, argv[1]))
      verb = &verbs[i];
  if (verb == NULL)
    {
      g_printerr (_("hangarctl: unknown verb “%s”\n\n"), argv[1]);
      print_usage (stderr);
      return EXIT_USAGE;
    }
  for (int i = 2; i < argc; i++)
    if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
      {
        g_print (_("Usage: hangarctl %s %s\n\n%s.\n"), verb->name, verb->args, _(verb->summary));
        return 0;
      }

  /* A missing MACHINE or FILE is a usage error, whether or not an engine runs. */
  if (g_str_has_prefix (verb->args, "MACHINE") || g_str_has_prefix (verb->args, "FILE"))
    {
      gboolean given = FALSE;

      for (int i = 2; i < argc; i++)
        given |= argv[i][0] != '-';
      if (!given)
        return hangarctl_usage_error (verb->name, g_str_has_prefix (verb->args, "FILE") ?
                                        _("give one XML file") :
                                        _("give a machine name or UUID"));
    }

  if (verb->check != NULL && (status = verb->check (verb, argc - 1, argv + 1)) != 0)
    return status;

  hangar_error_quark (); /* register the D-Bus error names before any call */
  the_ctl = &ctl;
  if (ctl.remote != NULL)
    {
      if (!hangarctl_remote_connect (&ctl, &error))
        status = hangarctl_print_error (error);
      else
        {
          manager = g_steal_pointer (&ctl.manager);
          host_object = g_dbus_object_manager_get_object (manager, ENGINE_OBJECT_PATH "/host");
          status = run_verb (&ctl, manager, host_object, verb, argc, argv);
        }
      hangarctl_remote_disconnect (&ctl);
      g_clear_pointer (&ctl.remote, hangar_remote_address_free);
      g_clear_pointer (&ctl.identity, g_free);
      the_ctl = NULL;
      return status;
    }

  manager = hangar_dbus_object_manager_client_new_for_bus_sync (
    G_BUS_TYPE_SESSION, G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_DO_NOT_AUTO_START,
    ENGINE_BUS_NAME, ENGINE_OBJECT_PATH, NULL, &error);
  host_object = manager ? g_dbus_object_manager_get_object (manager, ENGINE_OBJECT_PATH "/host") :
                          NULL;
  if (host_object == NULL)
    {
      /* The manager client does not activate the service: start it with a first call. */
      g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
      g_autoptr(GVariant) reply = NULL;

      g_clear_error (&error);
      if (bus != NULL)
        reply = g_dbus_connection_call_sync (bus, ENGINE_BUS_NAME, ENGINE_OBJECT_PATH,
                                             "org.freedesktop.DBus.Peer", "Ping", NULL, NULL,
                                             G_DBUS_CALL_FLAGS_NONE, 25000, NULL, &error);
      g_clear_object (&manager);
      if (reply != NULL)
        manager = hangar_dbus_object_manager_client_new_for_bus_sync (
          G_BUS_TYPE_SESSION, G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_DO_NOT_AUTO_START,
          ENGINE_BUS_NAME, ENGINE_OBJECT_PATH, NULL, &error);
      host_object = manager ? g_dbus_object_manager_get_object (manager,
                                                                ENGINE_OBJECT_PATH "/host") : NULL;
      if (host_object == NULL)
        {
          g_printerr (_("error: cannot reach hangar-engine on the session bus%s%s\n"),
                      error ? ": " : ".", error ? error->message : "");
          return EXIT_FAILED;
        }
    }

  status = run_verb (&ctl, manager, host_object, verb, argc, argv);
  the_ctl = NULL;
  return status;
}
