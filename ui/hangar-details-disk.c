/* hangar-details-disk.c: the page of a disk or CD-ROM drive
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Path (for a CD-ROM: its media, with Eject and Choose Media…, an image file or a host
 * drive such as /dev/sr0 as <disk type='block'>), bus, format, size, cache mode with a
 * line on what each risks, discard, read-only, shareable. A new bus moves the disk
 * to a free name on it (vda on virtio, sdb on SATA), as the guest will call it.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-details-private.h"
#include "hangar-remote-file-chooser.h"
#include "hangar-ssh-transport.h"
#include "hangar-format.h"

static const char * const disk_buses[] = { "virtio", "sata", "scsi", "ide", NULL };
static const char * const disk_bus_labels[] = { "VirtIO", "SATA", "SCSI", "IDE", NULL };
static const char * const cdrom_buses[] = { "sata", "scsi", "ide", NULL };
static const char * const cdrom_bus_labels[] = { "SATA", "SCSI", "IDE", NULL };
static const char * const formats[] = { "qcow2", "raw", NULL };
static const char * const format_labels[] = { "QCOW2", "Raw", NULL };
static const char * const caches[] = {
  "default", "none", "writeback", "writethrough", "directsync", "unsafe", NULL
};
static const char * const cache_labels[] = {
  N_("Default"), "none", "writeback", "writethrough", "directsync", "unsafe", NULL
};

typedef struct
{
  gboolean       cdrom;
  char          *media;          /* a CD-ROM's image; NULL when empty */
  AdwEntryRow   *path_row;       /* a disk's */
  AdwActionRow  *media_row;      /* a CD-ROM's */
  GtkWidget     *eject_button;
  AdwComboRow   *bus_row;
  AdwComboRow   *format_row;
  AdwComboRow   *cache_row;
  AdwActionRow  *size_row;
  GtkSwitch     *discard_switch;
  GtkSwitch     *readonly_switch;
  GtkSwitch     *shareable_switch;
  GCancellable  *cancellable;
} Disk;

static void
disk_free (Disk *disk)
{
  g_cancellable_cancel (disk->cancellable);
  g_clear_object (&disk->cancellable);
  g_free (disk->media);
  g_free (disk);
}

/* What each cache mode risks, under its row. */
static const char *
cache_note (const char *cache)
{
  if (g_strcmp0 (cache, "none") == 0)
    return _("Skips the host's cache; safe when the guest flushes its writes");
  if (g_strcmp0 (cache, "writeback") == 0)
    return _("Fast; writes the guest did not flush are lost if the host crashes");
  if (g_strcmp0 (cache, "writethrough") == 0)
    return _("Each write reaches the disk before it completes: safe, slower");
  if (g_strcmp0 (cache, "directsync") == 0)
    return _("Like writethrough, skipping the host's cache: safest, slowest");
  if (g_strcmp0 (cache, "unsafe") == 0)
    return _("Ignores the guest's flushes: fastest; a host crash can corrupt the image");
  return _("QEMU's default: writeback");
}

static void
on_cache_selected (HangarDetailsPage *page)
{
  Disk *disk = hangar_details_page_get_data (page);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (disk->cache_row),
                               cache_note (caches[adw_combo_row_get_selected (disk->cache_row)]));
}

static void
show_media (Disk *disk)
{
  hangar_details_set_info (disk->media_row, disk->media != NULL ? disk->media : _("No media"));
  gtk_widget_set_sensitive (disk->eject_button, disk->media != NULL);
}

static void
on_eject_clicked (HangarDetailsPage *page)
{
  Disk *disk = hangar_details_page_get_data (page);

  g_clear_pointer (&disk->media, g_free);
  show_media (disk);
  hangar_details_page_changed (page);
}

static void
on_media_chosen (GtkNativeDialog   *chooser,
                 int                response,
                 HangarDetailsPage *page)
{
  Disk *disk = hangar_details_page_get_data (page);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        {
          g_free (disk->media);
          disk->media = g_steal_pointer (&path);
          show_media (disk);
          hangar_details_page_changed (page);
        }
    }
  g_object_unref (chooser);
  g_object_unref (page);
}

static void
on_remote_media_chosen (HangarRemoteFileChooser *chooser,
                        const char              *path,
                        HangarDetailsPage       *page)
{
  Disk *disk = hangar_details_page_get_data (page);

  g_free (disk->media);
  disk->media = g_strdup (path);
  show_media (disk);
  hangar_details_page_changed (page);
}

/* Media on the engine's host: this computer's chooser for the local engine, a list
 * through the engine for a remote one. */
static void
on_choose_clicked (HangarDetailsPage *page)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (page));
  GtkWindow *parent = GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
  HangarDBusHost1 *host = hangar_details_page_get_host (page);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = NULL;

  if (host != NULL && hangar_ssh_transport_for_proxy (G_DBUS_PROXY (host)) != NULL)
    {
      static const char * const suffixes[] = { "iso", "img", NULL };
      Disk *disk = hangar_details_page_get_data (page);
      HangarRemoteFileChooser *remote = hangar_remote_file_chooser_new (parent, host,
                                                                        _("Choose Media"),
                                                                        suffixes);

      g_signal_connect_object (remote, "chosen", G_CALLBACK (on_remote_media_chosen), page, 0);
      hangar_remote_file_chooser_open (remote, disk->media != NULL ? disk->media : "");
      return;
    }

  chooser = gtk_file_chooser_native_new (_("Choose Media"), parent,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Disc Images"));
  gtk_file_filter_add_suffix (filter, "iso");
  gtk_file_filter_add_suffix (filter, "img");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_media_chosen), g_object_ref (page));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
disk_build (HangarDetailsPage *page)
{
  Disk *disk = g_new0 (Disk, 1);
  xmlDoc *doc = _hangar_details_view_get_doc (hangar_details_page_get_view (page));
  xmlNode *node = hangar_domain_xml_find (doc, hangar_details_page_get_key (page));
  g_autofree char *device = hangar_domain_xml_attr (node, "device");
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  AdwPreferencesGroup *group;

  disk->cdrom = g_strcmp0 (device, "cdrom") == 0;
  disk->cancellable = g_cancellable_new ();
  hangar_details_page_set_data (page, disk, (GDestroyNotify) disk_free);

  group = hangar_details_page_add_group (page, disk->cdrom ? _("CD-ROM Drive") : _("Disk"), NULL);
  if (disk->cdrom)
    {
      GtkWidget *choose = gtk_button_new_with_mnemonic (_("_Choose Media…"));

      disk->media_row = hangar_details_page_add_info (page, group, _("Media"));
      disk->eject_button = gtk_button_new_from_icon_name ("media-eject-symbolic");
      gtk_widget_set_tooltip_text (disk->eject_button, _("Eject"));
      gtk_widget_set_valign (disk->eject_button, GTK_ALIGN_CENTER);
      gtk_widget_set_valign (choose, GTK_ALIGN_CENTER);
      g_signal_connect_object (disk->eject_button, "clicked", G_CALLBACK (on_eject_clicked), page,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (choose, "clicked", G_CALLBACK (on_choose_clicked), page,
                               G_CONNECT_SWAPPED);
      adw_action_row_add_suffix (disk->media_row, disk->eject_button);
      adw_action_row_add_suffix (disk->media_row, choose);
    }
  else
    {
      disk->path_row = hangar_details_page_add_entry (page, group, _("Image _Path"));
      disk->size_row = hangar_details_page_add_info (page, group, _("Size"));
    }
  disk->bus_row = hangar_details_page_add_combo (page, group, _("_Bus"),
                                                 disk->cdrom ? cdrom_bus_labels : disk_bus_labels);
  disk->format_row = hangar_details_page_add_combo (page, group, _("_Format"), format_labels);

  group = hangar_details_page_add_group (page, _("Performance and Safety"), NULL);
  for (guint i = 0; cache_labels[i] != NULL; i++)
    g_ptr_array_add (labels, (gpointer) (i == 0 ? _(cache_labels[i]) : cache_labels[i]));
  g_ptr_array_add (labels, NULL);
  disk->cache_row = hangar_details_page_add_combo (page, group, _("_Cache Mode"),
                                                   (const char * const *) labels->pdata);
  g_signal_connect_object (disk->cache_row, "notify::selected", G_CALLBACK (on_cache_selected),
                           page, G_CONNECT_SWAPPED);
  if (!disk->cdrom)
    {
      disk->discard_switch =
        hangar_details_page_add_switch (page, group, _("_Discard Unused Blocks"),
                                        _("Space the guest frees is given back to the host"));
      disk->readonly_switch =
        hangar_details_page_add_switch (page, group, _("_Read Only"),
                                        _("The guest cannot write to the disk"));
      disk->shareable_switch =
        hangar_details_page_add_switch (page, group, _("_Shareable"),
                                        _("Other machines may use the image at the same time"));
    }
}

static void
on_media_identified (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  HangarDetailsPage *page = user_data;
  g_autoptr(GVariant) media = NULL;
  g_autoptr(GError) error = NULL;
  guint64 size = 0;

  if (!hangar_dbus_host1_call_identify_media_finish (HANGAR_DBUS_HOST1 (source), &media, result,
                                                     &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          Disk *disk = hangar_details_page_get_data (page);

          g_dbus_error_strip_remote_error (error);
          hangar_details_set_info (disk->size_row, error->message);
        }
      g_object_unref (page);
      return;
    }
  if (hangar_details_page_get_data (page) != NULL &&
      g_variant_lookup (media, "virtual-size", "t", &size) && size > 0)
    {
      Disk *disk = hangar_details_page_get_data (page);
      g_autofree char *text = hangar_format_memory (NULL, size / 1024);

      hangar_details_set_info (disk->size_row, text);
    }
  g_object_unref (page);
}

static void
disk_load (HangarDetailsPage *page,
           xmlDoc            *doc,
           xmlNode           *node)
{
  Disk *disk = hangar_details_page_get_data (page);
  HangarDBusHost1 *host = hangar_details_page_get_host (page);
  g_autofree char *type = hangar_domain_xml_attr (node, "type");
  g_autofree char *path = hangar_domain_xml_child_attr (node, "source",
                                                        g_strcmp0 (type, "block") == 0 ?
                                                          "dev" : "file");
  g_autofree char *discard = hangar_domain_xml_child_attr (node, "driver", "discard");
  g_autofree char *bus = hangar_domain_xml_child_attr (node, "target", "bus");
  g_autofree char *format = hangar_domain_xml_child_attr (node, "driver", "type");
  g_autofree char *cache = hangar_domain_xml_child_attr (node, "driver", "cache");

  if (disk->cdrom)
    {
      g_free (disk->media);
      disk->media = path != NULL && path[0] != '\0' ? g_strdup (path) : NULL;
      show_media (disk);
    }
  else
    {
      gtk_editable_set_text (GTK_EDITABLE (disk->path_row), path != NULL ? path : "");
      gtk_switch_set_active (disk->readonly_switch,
                             hangar_domain_xml_child (node, "readonly") != NULL);
      gtk_switch_set_active (disk->shareable_switch,
                             hangar_domain_xml_child (node, "shareable") != NULL);
      gtk_switch_set_active (disk->discard_switch, g_strcmp0 (discard, "unmap") == 0);
      hangar_details_set_info (disk->size_row, NULL);
      if (host != NULL && path != NULL)
        hangar_dbus_host1_call_identify_media (host, path, disk->cancellable, on_media_identified,
                                               g_object_ref (page));
    }
  adw_combo_row_set_selected (disk->bus_row,
                              hangar_details_combo_index (disk->cdrom ? cdrom_buses : disk_buses,
                                                          bus));
  adw_combo_row_set_selected (disk->format_row,
                              hangar_details_combo_index (formats,
                                                          format != NULL ? format : "raw"));
  adw_combo_row_set_selected (disk->cache_row, hangar_details_combo_index (caches, cache));
  on_cache_selected (page);
}

static gboolean
disk_store (HangarDetailsPage  *page,
            xmlDoc             *doc,
            xmlNode            *node,
            GError            **error)
{
  Disk *disk = hangar_details_page_get_data (page);
  const char * const *buses = disk->cdrom ? cdrom_buses : disk_buses;
  const char *bus = buses[adw_combo_row_get_selected (disk->bus_row)];
  const char *cache = caches[adw_combo_row_get_selected (disk->cache_row)];
  xmlNode *target = hangar_domain_xml_ensure_child (node, "target");
  xmlNode *driver = hangar_domain_xml_ensure_child (node, "driver");
  g_autofree char *old_bus = hangar_domain_xml_attr (target, "bus");
  g_autofree char *path = NULL;
  gboolean block;

  if (disk->cdrom)
    path = g_strdup (disk->media);
  else
    {
      path = hangar_details_entry_text (disk->path_row);
      if (path[0] == '\0')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("A disk needs the path of its image."));
          return FALSE;
        }
    }

  hangar_domain_xml_remove_children (node, "source");
  /* A host drive is a block device, as libvirt writes it; anything else a file. */
  block = disk->cdrom && path != NULL && g_str_has_prefix (path, "/dev/");
  hangar_domain_xml_set_attr (node, "type", block ? "block" : "file");
  if (path != NULL)
    {
      xmlNode *source = xmlNewDocNode (doc, NULL, (const xmlChar *) "source", NULL);

      hangar_domain_xml_set_attr (source, block ? "dev" : "file", path);
      /* Where libvirt writes it: after <driver>. */
      xmlAddNextSibling (driver, source);
    }

  if (g_strcmp0 (old_bus, bus) != 0)
    {
      g_autofree char *dev = hangar_domain_xml_free_target (doc, bus);

      if (dev == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                       _("The bus has no free place for another disk."));
          return FALSE;
        }
      hangar_domain_xml_set_attr (target, "dev", dev);
      hangar_domain_xml_set_attr (target, "bus", bus);
      /* The old bus's address does not fit the new one. */
      hangar_domain_xml_remove_children (node, "address");
    }

  hangar_domain_xml_set_attr (driver, "name", "qemu");
  hangar_domain_xml_set_attr (driver, "type",
                              formats[adw_combo_row_get_selected (disk->format_row)]);
  hangar_domain_xml_set_attr (driver, "cache", g_strcmp0 (cache, "default") == 0 ? NULL : cache);

  if (!disk->cdrom)
    {
      hangar_domain_xml_set_attr (driver, "discard",
                                  gtk_switch_get_active (disk->discard_switch) ? "unmap" : NULL);
      hangar_domain_xml_remove_children (node, "readonly");
      if (gtk_switch_get_active (disk->readonly_switch))
        xmlNewChild (node, NULL, (const xmlChar *) "readonly", NULL);
      hangar_domain_xml_remove_children (node, "shareable");
      if (gtk_switch_get_active (disk->shareable_switch))
        xmlNewChild (node, NULL, (const xmlChar *) "shareable", NULL);
    }
  return TRUE;
}

const HangarDetailsEditor hangar_details_disk_editor = {
  .build = disk_build,
  .load = disk_load,
  .store = disk_store,
  .removable = TRUE,
};
