/* hangar-add-hardware.c: the Add Hardware dialog of the details pane
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One kind of device at a time, with the choices the engine runs: disk, CD-ROM, NIC,
 * input, display, sound, serial port, agent channel, RNG, USB controller, USB host device
 * (picked from Host1.ListUsbDevices), USB redirection (a SPICE channel), watchdog. Add writes the
 * device's element into the definition and applies it (the view's
 * _hangar_details_view_add_device); a new disk image is made first, with
 * Host1.CreateVolume as a Job1 with a progress bar and Stop. An existing image is
 * looked at first (Host1.IdentifyMedia): a missing or unreadable file is refused
 * here, with the engine's words. The dialog stays open on an error and says it.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-add-hardware.h"
#include "hangar-remote-file-chooser.h"
#include "hangar-ssh-transport.h"
#include "hangar-details-private.h"

typedef enum
{
  KIND_DISK,
  KIND_CDROM,
  KIND_NIC,
  KIND_INPUT,
  KIND_GRAPHICS,
  KIND_SOUND,
  KIND_SERIAL,
  KIND_CHANNEL,
  KIND_RNG,
  KIND_USB,
  KIND_USB_HOST,
  KIND_USB_REDIR,
  KIND_WATCHDOG,
} Kind;

struct _HangarAddHardware
{
  AdwWindow          parent_instance;

  HangarDetailsView *view;
  GCancellable      *cancellable;
  HangarDBusJob1    *job;

  /* Template widgets */
  GtkWidget         *add_button;
  GtkStack          *stack;
  AdwComboRow       *kind_row;
  GtkWidget         *disk_group;
  AdwComboRow       *disk_source_row;
  GtkWidget         *disk_size_row;
  GtkSpinButton     *disk_size_spin;
  AdwEntryRow       *disk_path_row;
  AdwComboRow       *disk_bus_row;
  GtkWidget         *cdrom_group;
  AdwEntryRow       *cdrom_path_row;
  AdwComboRow       *cdrom_bus_row;
  GtkWidget         *nic_group;
  AdwComboRow       *nic_model_row;
  GtkWidget         *input_group;
  AdwComboRow       *input_type_row;
  AdwComboRow       *input_bus_row;
  GtkWidget         *graphics_group;
  AdwComboRow       *graphics_type_row;
  GtkWidget         *sound_group;
  AdwComboRow       *sound_model_row;
  GtkWidget         *serial_group;
  GtkWidget         *channel_group;
  AdwComboRow       *channel_row;
  GtkWidget         *rng_group;
  GtkWidget         *usb_group;
  AdwComboRow       *usb_model_row;
  GtkWidget         *usb_host_group;
  AdwComboRow       *usb_host_row;
  GtkStringList     *usb_host_list;
  GArray            *usb_host_ids;    /* guint32: vendor << 16 | product, as usb_host_list */
  GtkWidget         *usb_redir_group;
  GtkWidget         *watchdog_group;
  AdwComboRow       *watchdog_action_row;
  GtkLabel          *error_label;
  AdwStatusPage     *progress_page;
  GtkProgressBar    *progress_bar;
  GtkWidget         *stop_button;
};

G_DEFINE_FINAL_TYPE (HangarAddHardware, hangar_add_hardware, ADW_TYPE_WINDOW)

static const char * const disk_buses[] = { "virtio", "sata", "scsi", "ide" };
static const char * const cdrom_buses[] = { "sata", "scsi", "ide" };
static const char * const nic_models[] = { "virtio", "e1000e", "e1000", "rtl8139" };
static const char * const input_types[] = { "tablet", "mouse", "keyboard" };
static const char * const input_buses[] = { "usb", "virtio", "ps2" };
static const char * const sound_models[] = { "ich9", "ich6", "ac97", "es1370" };
static const char * const usb_models[] = { "qemu-xhci", "nec-xhci", "ich9-ehci1", "piix3-uhci" };
static const char * const watchdog_actions[] = {
  "reset", "shutdown", "poweroff", "pause", "none", "inject-nmi"
};

static void
say (HangarAddHardware *self,
     const char        *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_busy (HangarAddHardware *self,
          gboolean           busy)
{
  gtk_widget_set_sensitive (self->add_button, !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->kind_row), !busy);
}

static void
on_kind_selected (HangarAddHardware *self)
{
  Kind kind = adw_combo_row_get_selected (self->kind_row);
  gboolean new_image = adw_combo_row_get_selected (self->disk_source_row) == 0;

  gtk_widget_set_visible (self->disk_group, kind == KIND_DISK);
  gtk_widget_set_visible (self->disk_size_row, new_image);
  gtk_widget_set_visible (GTK_WIDGET (self->disk_path_row), !new_image);
  gtk_widget_set_visible (self->cdrom_group, kind == KIND_CDROM);
  gtk_widget_set_visible (self->nic_group, kind == KIND_NIC);
  gtk_widget_set_visible (self->input_group, kind == KIND_INPUT);
  gtk_widget_set_visible (self->graphics_group, kind == KIND_GRAPHICS);
  gtk_widget_set_visible (self->sound_group, kind == KIND_SOUND);
  gtk_widget_set_visible (self->serial_group, kind == KIND_SERIAL);
  gtk_widget_set_visible (self->channel_group, kind == KIND_CHANNEL);
  gtk_widget_set_visible (self->rng_group, kind == KIND_RNG);
  gtk_widget_set_visible (self->usb_group, kind == KIND_USB);
  gtk_widget_set_visible (self->usb_host_group, kind == KIND_USB_HOST);
  gtk_widget_set_visible (self->usb_redir_group, kind == KIND_USB_REDIR);
  gtk_widget_set_visible (self->watchdog_group, kind == KIND_WATCHDOG);
  say (self, NULL);
}

static char *
entry_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* ---- adding the element ----------------------------------------------------------- */

static void
on_device_added (gpointer      user_data,
                 const GError *error)
{
  g_autoptr(HangarAddHardware) self = user_data;

  /* Closed while the engine worked: nothing left to show it in. */
  if (self->view == NULL)
    return;
  if (error != NULL)
    {
      g_autoptr(GError) copy = g_error_copy (error);

      if (g_error_matches (copy, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_dbus_error_strip_remote_error (copy);
      gtk_stack_set_visible_child_name (self->stack, "form");
      set_busy (self, FALSE);
      say (self, copy->message);
      return;
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
add_element (HangarAddHardware *self,
             const char        *fragment)
{
  set_busy (self, TRUE);
  _hangar_details_view_add_device (self->view, fragment, on_device_added, g_object_ref (self));
}

static char *
disk_fragment (HangarAddHardware *self,
               const char        *device,
               const char        *path,
               const char        *format,
               const char        *bus)
{
  xmlDoc *doc = _hangar_details_view_get_doc (self->view);
  g_autofree char *target = hangar_domain_xml_free_target (doc, bus);
  g_autofree char *escaped = path != NULL ? g_markup_escape_text (path, -1) : NULL;
  /* A host CD/DVD drive (/dev/sr0) is a block device, as libvirt writes it. */
  gboolean block = path != NULL && g_str_equal (device, "cdrom") &&
                   g_str_has_prefix (path, "/dev/");
  g_autofree char *source = escaped != NULL ? g_strdup_printf ("<source %s='%s'/>",
                                                               block ? "dev" : "file", escaped)
                                            : g_strdup ("");

  if (target == NULL)
    return NULL;
  return g_strdup_printf ("<disk type='%s' device='%s'>"
                          "<driver name='qemu' type='%s'/>%s"
                          "<target dev='%s' bus='%s'/>%s"
                          "</disk>",
                          block ? "block" : "file", device, format, source, target, bus,
                          g_str_equal (device, "cdrom") ? "<readonly/>" : "");
}

static void
add_disk (HangarAddHardware *self,
          const char        *path,
          const char        *format)
{
  const char *bus = disk_buses[adw_combo_row_get_selected (self->disk_bus_row)];
  g_autofree char *fragment = disk_fragment (self, "disk", path, format, bus);

  if (fragment == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "form");
      say (self, _("The bus has no free place for another disk."));
      return;
    }
  add_element (self, fragment);
}

/* ---- a new image ---------------------------------------------------------------- */

static void
update_progress (HangarAddHardware *self)
{
  double progress = hangar_dbus_job1_get_progress (self->job);
  g_autofree char *text = g_strdup_printf ("%.0f %%", progress * 100);

  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (progress, 0, 1));
  gtk_progress_bar_set_text (self->progress_bar, text);
  adw_status_page_set_description (self->progress_page,
                                   hangar_dbus_job1_get_description (self->job));
}

static void
image_failed (HangarAddHardware *self,
              const char        *message)
{
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_clear_object (&self->job);
  gtk_stack_set_visible_child_name (self->stack, "form");
  set_busy (self, FALSE);
  say (self, message);
}

static void
on_job_state (HangarAddHardware *self)
{
  const char *state = hangar_dbus_job1_get_state (self->job);

  if (g_strcmp0 (state, "completed") == 0)
    {
      g_autofree char *path = g_strdup (hangar_dbus_job1_get_result (self->job));

      g_signal_handlers_disconnect_by_data (self->job, self);
      g_clear_object (&self->job);
      gtk_progress_bar_set_fraction (self->progress_bar, 1);
      gtk_widget_set_sensitive (self->stop_button, FALSE);
      add_disk (self, path, "qcow2");
    }
  else if (g_strcmp0 (state, "failed") == 0)
    {
      g_autofree char *message = g_strdup (hangar_dbus_job1_get_error (self->job));

      image_failed (self, message);
    }
  else if (g_strcmp0 (state, "cancelled") == 0)
    image_failed (self, _("Stopped. The unfinished image was removed."));
}

static void
on_job_proxy (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HangarAddHardware) self = user_data;
  g_autoptr(GError) error = NULL;
  HangarDBusJob1 *job = hangar_dbus_job1_proxy_new_finish (result, &error);

  if (job == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        image_failed (self, error->message);
      return;
    }
  self->job = job;
  g_signal_connect_object (job, "notify::progress", G_CALLBACK (update_progress), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (job, "notify::state", G_CALLBACK (on_job_state), self,
                           G_CONNECT_SWAPPED);
  update_progress (self);
  on_job_state (self);
}

static void
on_volume_created (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(HangarAddHardware) self = user_data;
  g_autofree char *job_path = NULL;
  g_autoptr(GError) error = NULL;
  GDBusProxy *host = G_DBUS_PROXY (source);

  if (!hangar_dbus_host1_call_create_volume_finish (HANGAR_DBUS_HOST1 (source), &job_path,
                                                    result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_dbus_error_strip_remote_error (error);
          image_failed (self, error->message);
        }
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "progress");
  hangar_dbus_job1_proxy_new (g_dbus_proxy_get_connection (host), G_DBUS_PROXY_FLAGS_NONE,
                              g_dbus_proxy_get_name (host), job_path, self->cancellable,
                              on_job_proxy, g_object_ref (self));
}

/* "web-01-vdb.qcow2": the machine's name and the disk's, as a file name. */
static char *
image_name (HangarAddHardware *self,
            const char        *bus)
{
  xmlDoc *doc = _hangar_details_view_get_doc (self->view);
  g_autofree char *name = hangar_domain_xml_child_text (xmlDocGetRootElement (doc), "name");
  g_autofree char *target = hangar_domain_xml_free_target (doc, bus);
  char *file;

  for (char *p = name; p != NULL && *p; p++)
    if (*p == '/' || g_ascii_iscntrl (*p))
      *p = '_';
  file = g_strdup_printf ("%s-%s.qcow2", name != NULL ? name : "disk",
                          target != NULL ? target : "new");
  if (file[0] == '.')
    file[0] = '_';
  return file;
}

static void
create_image (HangarAddHardware *self)
{
  HangarDBusHost1 *host = _hangar_details_view_get_host (self->view);
  g_auto(GVariantBuilder) options = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  const char *bus = disk_buses[adw_combo_row_get_selected (self->disk_bus_row)];
  g_autofree char *name = image_name (self, bus);
  guint64 size = (guint64) gtk_spin_button_get_value (self->disk_size_spin) << 30;

  if (host == NULL)
    return;
  g_variant_builder_add (&options, "{sv}", "name", g_variant_new_string (name));
  g_variant_builder_add (&options, "{sv}", "format", g_variant_new_string ("qcow2"));
  g_variant_builder_add (&options, "{sv}", "size", g_variant_new_uint64 (size));
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_widget_set_sensitive (self->stop_button, TRUE);
  set_busy (self, TRUE);
  hangar_dbus_host1_call_create_volume (host, g_variant_builder_end (&options), self->cancellable,
                                        on_volume_created, g_object_ref (self));
}

static void
on_stop_clicked (HangarAddHardware *self)
{
  if (self->job == NULL)
    return;
  gtk_widget_set_sensitive (self->stop_button, FALSE);
  hangar_dbus_job1_call_cancel (self->job, self->cancellable, NULL, NULL);
}

/* ---- an existing image ------------------------------------------------------------ */

static void
on_image_identified (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(HangarAddHardware) self = user_data;
  g_autoptr(GVariant) media = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = entry_text (self->disk_path_row);
  const char *kind = NULL;
  const char *format = NULL;

  if (!hangar_dbus_host1_call_identify_media_finish (HANGAR_DBUS_HOST1 (source), &media, result,
                                                     &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_dbus_error_strip_remote_error (error);
          image_failed (self, error->message);
        }
      return;
    }
  g_variant_lookup (media, "kind", "&s", &kind);
  g_variant_lookup (media, "format", "&s", &format);
  if (g_strcmp0 (format, "qcow2") != 0)
    format = "raw";
  add_disk (self, path, format);
}

/* ---- choosing files ----------------------------------------------------------------- */

static void
on_file_chosen (GtkNativeDialog *chooser,
                int              response,
                AdwEntryRow     *row)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        gtk_editable_set_text (GTK_EDITABLE (row), path);
    }
  g_object_unref (chooser);
  g_object_unref (row);
}

static void
on_remote_file_chosen (HangarRemoteFileChooser *chooser,
                       const char              *path,
                       AdwEntryRow             *row)
{
  gtk_editable_set_text (GTK_EDITABLE (row), path);
}

/* As the wizard's: this computer's chooser for the local engine, a list through the
 * engine for a remote one. */
static void
choose_file (HangarAddHardware *self,
             AdwEntryRow       *row,
             const char        *title,
             const char        *filter_name,
             const char * const *suffixes)
{
  HangarDBusHost1 *host = _hangar_details_view_get_host (self->view);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = NULL;

  if (host != NULL && hangar_ssh_transport_for_proxy (G_DBUS_PROXY (host)) != NULL)
    {
      HangarRemoteFileChooser *remote = hangar_remote_file_chooser_new (GTK_WINDOW (self), host,
                                                                        title, suffixes);

      g_signal_connect_object (remote, "chosen", G_CALLBACK (on_remote_file_chosen), row, 0);
      hangar_remote_file_chooser_open (remote, gtk_editable_get_text (GTK_EDITABLE (row)));
      return;
    }

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Choose"), _("_Cancel"));
  filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, filter_name);
  for (guint i = 0; suffixes[i] != NULL; i++)
    gtk_file_filter_add_suffix (filter, suffixes[i]);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chosen), g_object_ref (row));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_choose_disk_clicked (HangarAddHardware *self)
{
  choose_file (self, self->disk_path_row, _("Choose an Image"), _("Disk Images"),
               (const char * const[]) { "qcow2", "img", "raw", NULL });
}

static void
on_choose_cdrom_clicked (HangarAddHardware *self)
{
  choose_file (self, self->cdrom_path_row, _("Choose Media"), _("Disc Images"),
               (const char * const[]) { "iso", "img", NULL });
}

/* ---- Add ------------------------------------------------------------------------- */

static void
on_add_clicked (HangarAddHardware *self)
{
  HangarDBusHost1 *host = _hangar_details_view_get_host (self->view);
  xmlDoc *doc = _hangar_details_view_get_doc (self->view);
  g_autofree char *fragment = NULL;

  say (self, NULL);
  switch ((Kind) adw_combo_row_get_selected (self->kind_row))
    {
    case KIND_DISK:
      if (adw_combo_row_get_selected (self->disk_source_row) == 0)
        create_image (self);
      else
        {
          g_autofree char *path = entry_text (self->disk_path_row);

          if (!g_path_is_absolute (path))
            {
              say (self, _("Give the image's full path, such as /home/me/disk.qcow2."));
              return;
            }
          set_busy (self, TRUE);
          hangar_dbus_host1_call_identify_media (host, path, self->cancellable,
                                                 on_image_identified, g_object_ref (self));
        }
      return;

    case KIND_CDROM:
      {
        g_autofree char *path = entry_text (self->cdrom_path_row);

        fragment = disk_fragment (self, "cdrom", path[0] != '\0' ? path : NULL, "raw",
                                  cdrom_buses[adw_combo_row_get_selected (self->cdrom_bus_row)]);
        if (fragment == NULL)
          {
            say (self, _("The bus has no free place for another drive."));
            return;
          }
      }
      break;

    case KIND_NIC:
      fragment = g_strdup_printf ("<interface type='user'><model type='%s'/></interface>",
                                  nic_models[adw_combo_row_get_selected (self->nic_model_row)]);
      break;

    case KIND_INPUT:
      fragment = g_strdup_printf ("<input type='%s' bus='%s'/>",
                                  input_types[adw_combo_row_get_selected (self->input_type_row)],
                                  input_buses[adw_combo_row_get_selected (self->input_bus_row)]);
      break;

    case KIND_GRAPHICS:
      fragment = g_strdup_printf ("<graphics type='%s'/>",
                                  adw_combo_row_get_selected (self->graphics_type_row) == 0 ?
                                    "spice" : "vnc");
      break;

    case KIND_SOUND:
      fragment = g_strdup_printf ("<sound model='%s'/>",
                                  sound_models[adw_combo_row_get_selected (self->sound_model_row)]);
      break;

    case KIND_SERIAL:
      {
        xmlNode *devices = hangar_domain_xml_devices (doc);
        guint port = 0;

        for (xmlNode *n = devices->children; n != NULL; n = n->next)
          if (hangar_domain_xml_is (n, "serial"))
            port++;
        fragment = g_strdup_printf ("<serial type='pty'><target port='%u'/></serial>", port);
      }
      break;

    case KIND_CHANNEL:
      fragment = g_strdup (adw_combo_row_get_selected (self->channel_row) == 0 ?
                           "<channel type='unix'><target type='virtio' "
                           "name='org.qemu.guest_agent.0'/></channel>" :
                           "<channel type='spicevmc'><target type='virtio' "
                           "name='com.redhat.spice.0'/></channel>");
      break;

    case KIND_RNG:
      fragment = g_strdup ("<rng model='virtio'><backend model='random'>/dev/urandom</backend>"
                           "</rng>");
      break;

    case KIND_USB:
      fragment = g_strdup_printf ("<controller type='usb' model='%s'/>",
                                  usb_models[adw_combo_row_get_selected (self->usb_model_row)]);
      break;

    case KIND_USB_HOST:
      {
        guint index = adw_combo_row_get_selected (self->usb_host_row);
        guint32 ids;

        if (index == GTK_INVALID_LIST_POSITION || index >= self->usb_host_ids->len)
          {
            say (self, _("This host has no USB device to give."));
            return;
          }
        ids = g_array_index (self->usb_host_ids, guint32, index);
        fragment = g_strdup_printf ("<hostdev mode='subsystem' type='usb'><source>"
                                    "<vendor id='0x%04x'/><product id='0x%04x'/>"
                                    "</source></hostdev>", ids >> 16, ids & 0xffff);
      }
      break;

    case KIND_USB_REDIR:
      fragment = g_strdup ("<redirdev bus='usb' type='spicevmc'/>");
      break;

    case KIND_WATCHDOG:
      fragment = g_strdup_printf ("<watchdog model='i6300esb' action='%s'/>",
                                  watchdog_actions[adw_combo_row_get_selected (
                                                     self->watchdog_action_row)]);
      break;

    default:
      g_assert_not_reached ();
    }
  add_element (self, fragment);
}

/* The host's devices, for "USB Host Device": "Yubico.com YubiKey (1050:0407)". */
static void
on_usb_listed (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HangarAddHardware) self = user_data;
  g_autoptr(GVariant) devices = NULL;
  g_autoptr(GError) error = NULL;
  GVariantIter iter;
  GVariant *device;

  if (!hangar_dbus_host1_call_list_usb_devices_finish (HANGAR_DBUS_HOST1 (object), &devices,
                                                       result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("ListUsbDevices: %s", error->message);
      return;
    }
  g_variant_iter_init (&iter, devices);
  while ((device = g_variant_iter_next_value (&iter)) != NULL)
    {
      const char *label = "";
      guint16 vendor = 0, product = 0;
      guint32 ids;

      g_variant_lookup (device, "label", "&s", &label);
      g_variant_lookup (device, "vendor-id", "q", &vendor);
      g_variant_lookup (device, "product-id", "q", &product);
      ids = (guint32) vendor << 16 | product;
      g_array_append_val (self->usb_host_ids, ids);
      gtk_string_list_append (self->usb_host_list, label);
      g_variant_unref (device);
    }
}

static void
on_cancel_clicked (HangarAddHardware *self)
{
  if (self->job != NULL)
    hangar_dbus_job1_call_cancel (self->job, NULL, NULL, NULL);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
hangar_add_hardware_dispose (GObject *object)
{
  HangarAddHardware *self = HANGAR_ADD_HARDWARE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_ADD_HARDWARE);
  g_clear_object (&self->job);
  g_clear_object (&self->view);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->usb_host_ids, g_array_unref);

  G_OBJECT_CLASS (hangar_add_hardware_parent_class)->dispose (object);
}

static void
hangar_add_hardware_class_init (HangarAddHardwareClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_add_hardware_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               HANGAR_RESOURCE_PATH "/ui/hangar-add-hardware.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, HangarAddHardware, name)
  BIND (add_button);
  BIND (stack);
  BIND (kind_row);
  BIND (usb_host_group);
  BIND (usb_host_row);
  BIND (usb_host_list);
  BIND (usb_redir_group);
  BIND (disk_group);
  BIND (disk_source_row);
  BIND (disk_size_row);
  BIND (disk_size_spin);
  BIND (disk_path_row);
  BIND (disk_bus_row);
  BIND (cdrom_group);
  BIND (cdrom_path_row);
  BIND (cdrom_bus_row);
  BIND (nic_group);
  BIND (nic_model_row);
  BIND (input_group);
  BIND (input_type_row);
  BIND (input_bus_row);
  BIND (graphics_group);
  BIND (graphics_type_row);
  BIND (sound_group);
  BIND (sound_model_row);
  BIND (serial_group);
  BIND (channel_group);
  BIND (channel_row);
  BIND (rng_group);
  BIND (usb_group);
  BIND (usb_model_row);
  BIND (watchdog_group);
  BIND (watchdog_action_row);
  BIND (error_label);
  BIND (progress_page);
  BIND (progress_bar);
  BIND (stop_button);
#undef BIND
  gtk_widget_class_bind_template_callback_full (widget_class, "on_kind_selected",
                                                G_CALLBACK (on_kind_selected));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_add_clicked",
                                                G_CALLBACK (on_add_clicked));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_cancel_clicked",
                                                G_CALLBACK (on_cancel_clicked));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_stop_clicked",
                                                G_CALLBACK (on_stop_clicked));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_choose_disk_clicked",
                                                G_CALLBACK (on_choose_disk_clicked));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_choose_cdrom_clicked",
                                                G_CALLBACK (on_choose_cdrom_clicked));
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hangar_add_hardware_init (HangarAddHardware *self)
{
  self->cancellable = g_cancellable_new ();
  self->usb_host_ids = g_array_new (FALSE, FALSE, sizeof (guint32));
  gtk_widget_init_template (GTK_WIDGET (self));
  on_kind_selected (self);
}

/* The dialog for @view's machine, modal on its window. */
GtkWidget *
hangar_add_hardware_new (HangarDetailsView *view)
{
  HangarAddHardware *self = g_object_new (HANGAR_TYPE_ADD_HARDWARE, NULL);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (view));

  self->view = g_object_ref (view);
  if (_hangar_details_view_get_host (view) != NULL)
    hangar_dbus_host1_call_list_usb_devices (_hangar_details_view_get_host (view),
                                             self->cancellable, on_usb_listed,
                                             g_object_ref (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (root));
  return GTK_WIDGET (self);
}
